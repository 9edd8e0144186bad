/** The page <-> server wire protocol on /ws (see docs/web.md and the server protocol doc). */

export type Mode = "audio" | "camera" | "screen";

export const TAG_AUDIO = 0x01;
export const TAG_JPEG = 0x02;

export type ClientMessage =
  | { type: "start"; mode: Mode; voice: string | null; user: string | null; resume?: string }
  | { type: "stop" }
  | { type: "ping"; id: number }
  | { type: "text"; text: string }
  | { type: "interrupt" }
  | { type: "mark"; name: string };

export interface ReadyMessage {
  type: "ready";
  session_id: string;
  backend: string;
  model: string;
  input_rate: number;
  output_rate: number;
  /** The voices `start` may name; empty when the backend has only its default voice. */
  voices?: string[];
  /** Whether the session continues the conversation of the `resume` token sent in `start`. */
  resumed?: boolean;
  /** Process id of the server process that answered. */
  worker?: number | null;
}

/** The newest resume token: sent again in `start` after a reconnect, to any server process. */
export interface ResumeMessage {
  type: "resume";
  token: string;
  expires_in_s: number;
}

/** The `resume` token of `start` was refused; a new conversation started. */
export interface ResumeRefusedMessage {
  type: "resume_refused";
  reason: "invalid" | "expired" | "wrong_user" | "unknown";
  message: string;
}

export type SessionEvent =
  | { type: "session_started"; backend: string; model: string }
  | { type: "user_transcript"; text: string; final: boolean }
  | { type: "assistant_transcript"; text: string; final: boolean }
  | { type: "tool_call"; id: string; name: string; args: unknown }
  | {
      type: "tool_result";
      id: string;
      name: string;
      ok: boolean;
      result?: unknown;
      error?: unknown;
      duration_ms?: number;
    }
  | { type: "tool_cancelled"; id: string; name: string }
  | {
      type: "tool_confirmation";
      id: string;
      name: string;
      args: unknown;
      status: "pending" | "confirmed" | "declined" | "expired";
      question?: string;
    }
  | { type: "interrupted" }
  | { type: "turn_complete"; latency_ms?: number | null }
  | { type: "go_away"; time_left_s?: number }
  | { type: "resumed"; handle?: string }
  | { type: "usage"; [key: string]: unknown }
  | { type: "error"; code: string; message: string; retryable: boolean }
  | { type: "session_closed"; reason?: string };

export type ServerMessage =
  | ReadyMessage
  | ResumeMessage
  | ResumeRefusedMessage
  | SessionEvent
  | { type: "clear" }
  | { type: "mark"; name: string }
  | { type: "pong"; id: unknown }
  | { type: "stopped"; reason?: string };

/** Prefix a payload with its one-byte tag. */
export function tagged(tag: number, payload: ArrayBuffer | Uint8Array): Uint8Array {
  const body = payload instanceof Uint8Array ? payload : new Uint8Array(payload);
  const out = new Uint8Array(body.length + 1);
  out[0] = tag;
  out.set(body, 1);
  return out;
}

/** Parse one JSON text frame; returns null for anything that is not an object with a type. */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (typeof (value as { type?: unknown }).type !== "string") return null;
  return value as ServerMessage;
}

/** The WebSocket URL for a page URL: same origin, /ws, with the page's token if it has one. */
export function socketUrl(page: { protocol: string; host: string; search: string }): string {
  const scheme = page.protocol === "https:" ? "wss:" : "ws:";
  const token = new URLSearchParams(page.search).get("token");
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  return `${scheme}//${page.host}/ws${query}`;
}
