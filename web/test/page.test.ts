import { describe, expect, it } from "vitest";
import { chosenVoice } from "../src/components/Controls";
import { themeLabel } from "../src/components/ThemeToggle";
import { addTyped, emptyConversation, reduceConversation, sameWords } from "../src/state/conversation";

describe("typed turns", () => {
  it("are shown once when the server echoes them", () => {
    let state = addTyped(emptyConversation, "what's in a banana");
    state = reduceConversation(state, { type: "user_transcript", text: "What's in a banana?", final: true });
    expect(state.items.filter((i) => i.kind === "transcript")).toHaveLength(1);
    expect(state.typed).toEqual([]);
  });

  it("do not swallow a later spoken turn with other words", () => {
    let state = addTyped(emptyConversation, "hello");
    state = reduceConversation(state, { type: "user_transcript", text: "I missed lunch", final: true });
    expect(state.items.filter((i) => i.kind === "transcript")).toHaveLength(2);
  });

  it("are forgotten at the end of the turn when the server never echoes them", () => {
    let state = addTyped(emptyConversation, "hello");
    state = reduceConversation(state, { type: "turn_complete", latency_ms: null });
    state = reduceConversation(state, { type: "user_transcript", text: "hello", final: true });
    expect(state.items.filter((i) => i.kind === "transcript")).toHaveLength(2);
  });

  it("compare words, not punctuation or case", () => {
    expect(sameWords("  I missed  LUNCH. ")).toBe("i missed lunch");
  });
});

describe("voice menu", () => {
  it("asks only for a voice the backend has", () => {
    expect(chosenVoice("Puck", [])).toBeNull(); // the offline backend has none
    expect(chosenVoice("Puck", ["Puck", "Kore"])).toBe("Puck");
    expect(chosenVoice("", ["Puck"])).toBeNull();
  });
});

describe("theme button", () => {
  it("says which theme is in force", () => {
    expect(themeLabel("dark")).toBe("Dark theme: on");
    expect(themeLabel("light")).toBe("Dark theme: off");
    expect(themeLabel("dark")).not.toBe(themeLabel("light"));
  });
});
