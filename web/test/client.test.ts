import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The audio engine and the video need a browser; the client's decisions do not.
const engine = vi.hoisted(() => ({
  callbacks: null as null | {
    onFrame(pcm: ArrayBuffer, level: number): void;
    onMarkPlayed(name: string): void;
  },
  played: [] as ArrayBuffer[],
  marks: [] as string[],
  clears: 0,
}));

vi.mock("../src/audio/engine", () => ({
  AudioEngine: {
    open: async (callbacks: typeof engine.callbacks) => {
      engine.callbacks = callbacks;
      return {
        context: { currentTime: 0 },
        play: (pcm: ArrayBuffer) => engine.played.push(pcm),
        mark: (name: string) => engine.marks.push(name),
        clear: () => engine.clears++,
        close: async () => undefined,
      };
    },
  },
}));
vi.mock("../src/video/frames", () => ({ FrameGrabber: class {}, openVideo: async () => null }));

class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  binaryType = "blob";
  sent: (string | Uint8Array)[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  // -- test side --
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: "" });
  }
  json(): { type: string }[] {
    return this.sent.filter((m) => typeof m === "string").map((m) => JSON.parse(m as string));
  }
  binary(): Uint8Array[] {
    return this.sent.filter((m): m is Uint8Array => typeof m !== "string");
  }
}

const READY = {
  type: "ready",
  session_id: "s1",
  backend: "local",
  model: "m",
  input_rate: 16000,
  output_rate: 24000,
};

async function started() {
  const { VoiceClient } = await import("../src/net/client");
  const client = new VoiceClient({ protocol: "http:", host: "h:1", search: "?token=t" } as Location);
  await client.start({ mode: "audio", voice: "Kore", user: null });
  return client;
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1];
const frame = () => engine.callbacks?.onFrame(new Uint8Array([1, 2]).buffer, 0.1);

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal("window", globalThis);
  vi.stubGlobal("WebSocket", FakeSocket);
  FakeSocket.all = [];
  Object.assign(engine, { callbacks: null, played: [], marks: [], clears: 0 });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("VoiceClient", () => {
  it("shows a typed turn once, even when the server echoes it", async () => {
    const client = await started();
    last().open();
    last().receive(READY);
    client.sendText("  i missed lunch ");
    expect(last().json().at(-1)).toEqual({ type: "text", text: "i missed lunch" });
    last().receive({ type: "user_transcript", text: "I missed lunch.", final: true });
    last().receive({ type: "assistant_transcript", text: "No problem.", final: true });
    last().receive({ type: "turn_complete", latency_ms: null });
    const users = client
      .getSnapshot()
      .conversation.items.filter((i) => i.kind === "transcript" && i.role === "user");
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ text: "i missed lunch" });
  });

  it("keeps the voices the backend listed in ready", async () => {
    const client = await started();
    last().open();
    last().receive({ ...READY, voices: ["amy"] });
    expect(client.getSnapshot().session?.voices).toEqual(["amy"]);
  });

  it("starts the session on open and goes active on ready", async () => {
    const client = await started();
    expect(client.getSnapshot().status).toBe("connecting");
    expect(last().url).toBe("ws://h:1/ws?token=t");
    last().open();
    expect(last().json()[0]).toEqual({ type: "start", mode: "audio", voice: "Kore", user: null });
    last().receive(READY);
    expect(client.getSnapshot().status).toBe("active");
    expect(client.hooks.connections).toBe(1);
  });

  it("keeps early speech and sends it once the session is ready", async () => {
    await started();
    last().open();
    frame();
    frame();
    expect(last().binary()).toHaveLength(0);
    last().receive(READY);
    frame();
    expect(last().binary().map((b) => [...b])).toEqual([
      [1, 1, 2],
      [1, 1, 2],
      [1, 1, 2],
    ]);
  });

  it("reconnects with backoff after a drop and restarts the session", async () => {
    const client = await started();
    last().open();
    last().receive(READY);
    last().drop();
    expect(client.getSnapshot().status).toBe("reconnecting");
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
    last().drop();
    expect(client.getSnapshot().attempt).toBe(2);
    vi.advanceTimersByTime(1200);
    expect(FakeSocket.all).toHaveLength(3);
    last().open();
    expect(last().json()[0]).toMatchObject({ type: "start", voice: "Kore" });
    last().receive(READY);
    expect(client.getSnapshot()).toMatchObject({ status: "active", attempt: 0 });
    const notices = client.getSnapshot().conversation.items.filter((i) => i.kind === "notice");
    expect(notices.at(-1)).toMatchObject({ text: "Reconnected; the conversation continues." });
  });

  it("reconnects with the newest resume token and continues the conversation", async () => {
    const client = await started();
    last().open();
    last().receive(READY);
    last().receive({ type: "resume", token: "tok-1", expires_in_s: 900 });
    last().receive({ type: "resume", token: "tok-2", expires_in_s: 900 });
    last().drop();
    vi.advanceTimersByTime(1000);
    last().open();
    expect(last().json()[0]).toEqual({
      type: "start",
      mode: "audio",
      voice: "Kore",
      user: null,
      resume: "tok-2",
    });
    last().receive({ ...READY, resumed: true, worker: 4321 });
    const notices = client.getSnapshot().conversation.items.filter((i) => i.kind === "notice");
    expect(notices.at(-1)).toMatchObject({ text: "Reconnected; the conversation continues." });
  });

  it("says so when a refused token starts a new conversation", async () => {
    const client = await started();
    last().open();
    last().receive(READY);
    last().receive({ type: "resume", token: "old", expires_in_s: 900 });
    last().drop();
    vi.advanceTimersByTime(1000);
    last().open();
    last().receive({
      type: "resume_refused",
      reason: "expired",
      message: "the resume token has expired; a new conversation was started",
    });
    last().receive({ ...READY, resumed: false });
    const texts = client
      .getSnapshot()
      .conversation.items.filter((i) => i.kind === "notice")
      .map((i) => (i as { text: string }).text);
    expect(texts.slice(-2)).toEqual([
      "the resume token has expired; a new conversation was started",
      "Reconnected; a new conversation started.",
    ]);
    last().drop();
    vi.advanceTimersByTime(1000);
    last().open();
    expect(last().json()[0]).not.toHaveProperty("resume");
  });

  it("forgets the token when the user stops or starts again", async () => {
    const client = await started();
    last().open();
    last().receive(READY);
    last().receive({ type: "resume", token: "tok", expires_in_s: 900 });
    await client.stop();
    await client.start({ mode: "audio", voice: "Kore", user: null });
    last().open();
    expect(last().json()[0]).not.toHaveProperty("resume");
  });

  it("gives up with a reason when the first connection never opens", async () => {
    const client = await started();
    last().drop();
    expect(client.getSnapshot().status).toBe("error");
    expect(client.getSnapshot().reason).toMatch(/refused/);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("retries later when the server is busy", async () => {
    const client = await started();
    last().open();
    last().receive({ type: "error", code: "busy", message: "try again later", retryable: true });
    expect(client.getSnapshot()).toMatchObject({ status: "reconnecting", reason: "try again later" });
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it("waits for a restarting server instead of failing", async () => {
    const client = await started();
    last().open();
    last().receive(READY);
    last().receive({ type: "stopped", reason: "shutdown" });
    last().drop(1001);
    expect(client.getSnapshot().status).toBe("reconnecting");
    expect(client.getSnapshot().reason).toMatch(/shut down/);
  });

  it("ends in error with the server's reason when the session fails", async () => {
    const client = await started();
    last().open();
    last().receive(READY);
    last().receive({ type: "error", code: "session_failed", message: "boom", retryable: false });
    last().receive({ type: "stopped", reason: "error" });
    expect(client.getSnapshot()).toMatchObject({ status: "error", reason: "session_failed: boom" });
  });

  it("silences playback on interrupt and ignores the old reply until the server confirms", async () => {
    const client = await started();
    const socket = last();
    socket.open();
    socket.receive(READY);
    client.interrupt();
    expect(engine.clears).toBe(1);
    expect(socket.json().at(-1)).toEqual({ type: "interrupt" });
    socket.onmessage?.({ data: new ArrayBuffer(4) });
    socket.receive({ type: "mark", name: "turn-1" });
    expect(engine.played).toHaveLength(0);
    expect(engine.marks).toHaveLength(0);
    socket.receive({ type: "interrupted" });
    socket.onmessage?.({ data: new ArrayBuffer(4) });
    expect(engine.played).toHaveLength(1);
  });

  it("echoes a mark once its audio has played", async () => {
    const client = await started();
    last().open();
    last().receive(READY);
    last().receive({ type: "mark", name: "turn-1" });
    expect(engine.marks).toEqual(["turn-1"]);
    engine.callbacks?.onMarkPlayed("turn-1");
    expect(last().json().at(-1)).toEqual({ type: "mark", name: "turn-1" });
    expect(client.hooks.marksAcked).toEqual(["turn-1"]);
  });
});
