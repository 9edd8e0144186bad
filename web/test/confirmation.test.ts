import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PendingConfirmation, confirmationLabel } from "../src/components/PendingConfirmation";
import type { SessionEvent } from "../src/net/protocol";
import { emptyConversation, reduceConversation } from "../src/state/conversation";

const asked: SessionEvent[] = [
  { type: "tool_call", id: "c1", name: "set_targets", args: { kcal: 1800 } },
  {
    type: "tool_confirmation",
    id: "c1",
    name: "set_targets",
    args: { kcal: 1800 },
    status: "pending",
    question: "Set your daily target to 1800 kcal?",
  },
];

function play(events: SessionEvent[]) {
  return events.reduce(reduceConversation, emptyConversation);
}

describe("pending confirmation", () => {
  it("shows the question while the call waits for a yes", () => {
    const state = play(asked);
    const tool = state.items[0];
    expect(tool.kind).toBe("tool");
    if (tool.kind !== "tool") return;
    expect(tool.status).toBe("running");
    expect(tool.confirmation).toEqual({ status: "pending", question: "Set your daily target to 1800 kcal?" });
    const html = renderToStaticMarkup(createElement(PendingConfirmation, { confirmation: tool.confirmation! }));
    expect(html).toContain('data-testid="pending-confirmation"');
    expect(html).toContain("Set your daily target to 1800 kcal?");
    expect(html).toContain("Waiting for your yes");
  });

  it("a yes then the result: confirmed and ok", () => {
    const state = play([
      ...asked,
      { type: "tool_confirmation", id: "c1", name: "set_targets", args: { kcal: 1800 }, status: "confirmed", question: "q" },
      { type: "tool_result", id: "c1", name: "set_targets", ok: true, result: { kcal: 1800 }, duration_ms: 4 },
    ]);
    const tool = state.items[0];
    if (tool.kind !== "tool") throw new Error("not a tool item");
    expect(tool.status).toBe("ok");
    expect(tool.confirmation?.status).toBe("confirmed");
    const html = renderToStaticMarkup(createElement(PendingConfirmation, { confirmation: tool.confirmation! }));
    expect(html).toContain('data-testid="confirmation-outcome"');
    expect(html).not.toContain("pending-confirmation");
  });

  it("a no or silence: cancelled, never pending again", () => {
    for (const status of ["declined", "expired"] as const) {
      const state = play([
        ...asked,
        { type: "tool_confirmation", id: "c1", name: "set_targets", args: { kcal: 1800 }, status, question: "q" },
        { type: "tool_cancelled", id: "c1", name: "set_targets" },
      ]);
      const tool = state.items[0];
      if (tool.kind !== "tool") throw new Error("not a tool item");
      expect(tool.status).toBe("cancelled");
      expect(tool.confirmation?.status).toBe(status);
      expect(confirmationLabel(status)).toMatch(/^Not done/);
    }
  });

  it("an unknown call id leaves the conversation unchanged", () => {
    const state = play(asked);
    const next = reduceConversation(state, { ...(asked[1] as Extract<SessionEvent, { type: "tool_confirmation" }>), id: "zz" });
    expect(next).toBe(state);
  });
});
