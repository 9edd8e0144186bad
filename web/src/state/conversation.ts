/** The conversation panel's state, built from server events by a pure reducer. */
import type { SessionEvent } from "../net/protocol";

export type Role = "user" | "assistant";

export type Item =
  | { kind: "transcript"; key: number; role: Role; text: string; final: boolean; cut: boolean }
  | {
      kind: "tool";
      key: number;
      callId: string;
      name: string;
      args: unknown;
      status: "running" | "ok" | "error" | "cancelled";
      output?: unknown;
      durationMs?: number;
      /** Set for a call that asks the user to confirm it first (``@tool(confirm=...)``). */
      confirmation?: Confirmation;
    }
  | { kind: "turn"; key: number; latencyMs: number | null }
  | { kind: "notice"; key: number; text: string; tone: "info" | "error" };

export interface Confirmation {
  status: "pending" | "confirmed" | "declined" | "expired";
  question: string;
}

export interface Conversation {
  items: Item[];
  /** Index of the transcript still streaming for each role, if any. */
  open: Record<Role, number | null>;
  nextKey: number;
  turns: number;
  /** Typed turns already shown, waiting for the server's echo of them (normalised text). */
  typed: string[];
}

export const emptyConversation: Conversation = {
  items: [],
  open: { user: null, assistant: null },
  nextKey: 1,
  turns: 0,
  typed: [],
};

/** Text compared without case, punctuation or spacing: "i missed lunch" = "I missed lunch." */
export function sameWords(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Show a turn the user typed at once. When the server later echoes it as the user's
 * transcript (the offline backend does), the echo is not shown a second time.
 */
export function addTyped(state: Conversation, text: string): Conversation {
  const shown = transcript(state, "user", text, true);
  return { ...shown, typed: [...shown.typed, sameWords(text)] };
}

/** An echo of a typed turn: dropped from what is shown, once. */
function echoOfTyped(state: Conversation, text: string): Conversation | null {
  if (state.open.user !== null || state.typed.length === 0) return null;
  const words = sameWords(text);
  const at = state.typed.indexOf(words);
  if (at < 0) return null;
  return { ...state, typed: state.typed.filter((_, i) => i !== at) };
}

/**
 * Merge a streamed piece of transcript into what is shown. Servers send either the
 * whole text so far or only the new part; a final message may carry the full text.
 */
export function mergeTranscript(shown: string, incoming: string, final: boolean): string {
  if (shown === "") return incoming;
  if (incoming.startsWith(shown)) return incoming;
  if (final && incoming.trim() === "") return shown;
  if (final && incoming.length >= shown.length) return incoming;
  return shown + incoming;
}

/** An item before it gets its key (Omit distributed over the union). */
type NewItem = Item extends infer T ? (T extends Item ? Omit<T, "key"> : never) : never;

function add(state: Conversation, item: NewItem): Conversation {
  const full = { ...item, key: state.nextKey } as Item;
  return { ...state, items: [...state.items, full], nextKey: state.nextKey + 1 };
}

function closeOpen(state: Conversation, cut = false): Conversation {
  const items = state.items.slice();
  for (const role of ["user", "assistant"] as const) {
    const index = state.open[role];
    if (index === null) continue;
    const item = items[index];
    if (item.kind === "transcript") {
      items[index] = { ...item, final: true, cut: cut && role === "assistant" };
    }
  }
  return { ...state, items, open: { user: null, assistant: null } };
}

function transcript(state: Conversation, role: Role, text: string, final: boolean): Conversation {
  const index = state.open[role];
  if (index === null) {
    if (text.trim() === "" && final) return state;
    const next = add(state, { kind: "transcript", role, text, final, cut: false });
    const at = next.items.length - 1;
    return { ...next, open: { ...next.open, [role]: final ? null : at } };
  }
  const items = state.items.slice();
  const item = items[index];
  if (item.kind !== "transcript") return state;
  items[index] = { ...item, text: mergeTranscript(item.text, text, final), final };
  return { ...state, items, open: { ...state.open, [role]: final ? null : index } };
}

function updateTool(
  state: Conversation,
  callId: string,
  change: (item: Extract<Item, { kind: "tool" }>) => Item,
): Conversation {
  for (let i = state.items.length - 1; i >= 0; i--) {
    const item = state.items[i];
    if (item.kind === "tool" && item.callId === callId) {
      const items = state.items.slice();
      items[i] = change(item);
      return { ...state, items };
    }
  }
  return state;
}

/** Apply one session event to the conversation. Unknown events leave it unchanged. */
export function reduceConversation(state: Conversation, event: SessionEvent): Conversation {
  switch (event.type) {
    case "user_transcript":
      if (event.final) {
        const echoed = echoOfTyped(state, event.text);
        if (echoed) return echoed;
      }
      return transcript(state, "user", event.text, event.final);
    case "assistant_transcript":
      return transcript(state, "assistant", event.text, event.final);
    case "tool_call":
      return add(state, {
        kind: "tool",
        callId: event.id,
        name: event.name,
        args: event.args,
        status: "running",
      });
    case "tool_result":
      return updateTool(state, event.id, (item) => ({
        ...item,
        status: event.ok ? "ok" : "error",
        output: event.ok ? event.result : event.error,
        durationMs: event.duration_ms,
      }));
    case "tool_confirmation":
      return updateTool(state, event.id, (item) => ({
        ...item,
        args: event.args,
        confirmation: { status: event.status, question: event.question ?? "" },
      }));
    case "tool_cancelled":
      return updateTool(state, event.id, (item) => ({ ...item, status: "cancelled" }));
    case "interrupted":
      return closeOpen(state, true);
    case "turn_complete": {
      const closed = closeOpen(state);
      const latency = typeof event.latency_ms === "number" ? event.latency_ms : null;
      const turn = add({ ...closed, typed: [] }, { kind: "turn", latencyMs: latency });
      return { ...turn, turns: state.turns + 1 };
    }
    case "go_away":
      return add(state, {
        kind: "notice",
        tone: "info",
        text: `The model will end this connection soon (${event.time_left_s ?? "?"} s); the session continues.`,
      });
    case "resumed":
      return add(state, { kind: "notice", tone: "info", text: "Session resumed." });
    case "error":
      return add(state, { kind: "notice", tone: "error", text: `${event.code}: ${event.message}` });
    case "session_closed":
      return add(closeOpen(state), {
        kind: "notice",
        tone: "info",
        text: `Session closed${event.reason ? `: ${event.reason}` : ""}.`,
      });
    default:
      return state;
  }
}

/** Add a line from the page itself (connection changes and the like). */
export function addNotice(state: Conversation, text: string, tone: "info" | "error"): Conversation {
  return add(state, { kind: "notice", text, tone });
}
