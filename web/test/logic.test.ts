import { describe, expect, it } from "vitest";
import { backoffDelay } from "../src/net/backoff";
import { parseServerMessage, socketUrl, tagged, TAG_AUDIO } from "../src/net/protocol";
import { emptyConversation, mergeTranscript, reduceConversation, type Conversation } from "../src/state/conversation";
import type { SessionEvent } from "../src/net/protocol";
import { fitWithin } from "../src/video/fit";

const run = (events: SessionEvent[]): Conversation => events.reduce(reduceConversation, emptyConversation);

describe("conversation", () => {
  it("merges cumulative and incremental transcripts", () => {
    expect(mergeTranscript("I missed", "I missed lunch", false)).toBe("I missed lunch");
    expect(mergeTranscript("Hello", " there", false)).toBe("Hello there");
    expect(mergeTranscript("Hello there", "", true)).toBe("Hello there");
    expect(mergeTranscript("i mist lunch", "I missed lunch.", true)).toBe("I missed lunch.");
  });

  it("builds a turn: user, tool call with result, assistant, latency", () => {
    const state = run([
      { type: "user_transcript", text: "I missed", final: false },
      { type: "user_transcript", text: "I missed lunch", final: true },
      { type: "tool_call", id: "c1", name: "suggest_meal", args: { meal: "lunch" } },
      { type: "tool_result", id: "c1", name: "suggest_meal", ok: true, result: { food: "soup" }, duration_ms: 12 },
      { type: "assistant_transcript", text: "Try", final: false },
      { type: "assistant_transcript", text: " a soup.", final: false },
      { type: "turn_complete", latency_ms: 640 },
    ]);
    expect(state.items.map((i) => i.kind)).toEqual(["transcript", "tool", "transcript", "turn"]);
    expect(state.items[0]).toMatchObject({ role: "user", text: "I missed lunch", final: true });
    expect(state.items[1]).toMatchObject({ status: "ok", output: { food: "soup" }, durationMs: 12 });
    expect(state.items[2]).toMatchObject({ role: "assistant", text: "Try a soup.", final: true });
    expect(state.items[3]).toMatchObject({ latencyMs: 640 });
    expect(state.turns).toBe(1);
    expect(state.open).toEqual({ user: null, assistant: null });
  });

  it("marks an interrupted reply and a cancelled tool", () => {
    const state = run([
      { type: "tool_call", id: "c1", name: "slow", args: {} },
      { type: "tool_cancelled", id: "c1", name: "slow" },
      { type: "assistant_transcript", text: "Well", final: false },
      { type: "interrupted" },
      { type: "assistant_transcript", text: "Next", final: false },
    ]);
    expect(state.items[0]).toMatchObject({ status: "cancelled" });
    expect(state.items[1]).toMatchObject({ text: "Well", final: true, cut: true });
    expect(state.items[2]).toMatchObject({ text: "Next", final: false });
  });

  it("shows errors as notices and ignores unknown events", () => {
    const state = run([
      { type: "error", code: "backend", message: "boom", retryable: false },
      { type: "usage", total_tokens: 3 },
    ]);
    expect(state.items).toHaveLength(1);
    expect(state.items[0]).toMatchObject({ kind: "notice", tone: "error", text: "backend: boom" });
  });
});

describe("protocol", () => {
  it("derives the socket URL from the page, keeping the token", () => {
    expect(socketUrl({ protocol: "http:", host: "127.0.0.1:8000", search: "" })).toBe("ws://127.0.0.1:8000/ws");
    expect(socketUrl({ protocol: "https:", host: "a.example", search: "?token=a b&x=1" })).toBe(
      "wss://a.example/ws?token=a%20b",
    );
  });

  it("tags binary payloads", () => {
    expect([...tagged(TAG_AUDIO, Uint8Array.from([5, 6]))]).toEqual([1, 5, 6]);
  });

  it("parses only objects with a type", () => {
    expect(parseServerMessage('{"type":"clear"}')).toEqual({ type: "clear" });
    expect(parseServerMessage("[1]")).toBeNull();
    expect(parseServerMessage("nope")).toBeNull();
  });
});

describe("backoff and frame size", () => {
  it("grows exponentially up to a cap, with bounded jitter", () => {
    const opts = { baseMs: 500, maxMs: 8000, jitter: 0.2 };
    expect([0, 1, 2, 3, 4, 5, 9].map((a) => backoffDelay(a, opts, 0.5))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(backoffDelay(0, opts, 0)).toBe(400);
    expect(backoffDelay(0, opts, 0.999999)).toBe(600);
  });

  it("fits frames within 1024 px without enlarging", () => {
    expect(fitWithin(1920, 1080, 1024)).toEqual({ width: 1024, height: 576 });
    expect(fitWithin(720, 1280, 1024)).toEqual({ width: 576, height: 1024 });
    expect(fitWithin(640, 480, 1024)).toEqual({ width: 640, height: 480 });
    expect(fitWithin(0, 480, 1024)).toEqual({ width: 0, height: 0 });
  });
});
