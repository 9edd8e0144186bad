/**
 * VoiceClient owns one conversation with the server: the WebSocket, the audio
 * engine, the optional video source, reconnection and the conversation state.
 * React only renders its snapshots.
 */
import { AudioEngine, type PlaybackStats } from "../audio/engine";
import {
  addNotice,
  addTyped,
  emptyConversation,
  reduceConversation,
  type Conversation,
} from "../state/conversation";
import { FrameGrabber, openVideo } from "../video/frames";
import { backoffDelay } from "./backoff";
import {
  TAG_AUDIO,
  TAG_JPEG,
  parseServerMessage,
  socketUrl,
  tagged,
  type ClientMessage,
  type Mode,
  type ReadyMessage,
  type ServerMessage,
} from "./protocol";

export type Status = "idle" | "connecting" | "active" | "reconnecting" | "error";

export interface StartOptions {
  mode: Mode;
  voice: string | null;
  user: string | null;
}

export interface Snapshot {
  status: Status;
  reason: string | null;
  attempt: number;
  session: ReadyMessage | null;
  conversation: Conversation;
  mode: Mode | null;
  playing: boolean;
  preview: MediaStream | null;
}

/** Counters the browser tests read from `window.__voicelive`. */
export interface TestHooks {
  status: Status;
  playedSamples: number;
  bufferedSamples: number;
  clearedSamples: number;
  playing: boolean;
  audioFramesSent: number;
  videoFramesSent: number;
  marksAcked: string[];
  connections: number;
  level: number;
  contextTime: () => number;
}

const PING_EVERY_MS = 10000;
/** Close a socket whose pongs stopped coming for this long, which triggers a reconnect. */
const PONG_TIMEOUT_MS = 25000;
/** If the server never acknowledges an interrupt, accept its audio again after this long. */
const INTERRUPT_GRACE_MS = 3000;
/** Microphone frames kept while the session is not ready yet (50 x 20 ms = 1 s), sent on `ready`. */
const PRE_ROLL_FRAMES = 50;
/** WebSocket close codes after which retrying cannot help. */
const FATAL_CLOSE_CODES = new Set([1003, 1007, 1008]);

export class VoiceClient {
  private snapshot: Snapshot = {
    status: "idle",
    reason: null,
    attempt: 0,
    session: null,
    conversation: emptyConversation,
    mode: null,
    playing: false,
    preview: null,
  };
  private readonly listeners = new Set<() => void>();
  private readonly levelListeners = new Set<(level: number) => void>();
  private options: StartOptions | null = null;
  private socket: WebSocket | null = null;
  private audio: AudioEngine | null = null;
  private video: FrameGrabber | null = null;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private lastPong = 0;
  private pingId = 0;
  private ready = false;
  private muteReplyUntil = 0;
  private stopping = false;
  /** Why the server is going away, when it said so before closing. */
  private leaving: string | null = null;
  private lastError: string | null = null;
  /** Whether any socket of this session ever opened; if none did, retrying is pointless. */
  private everOpened = false;
  /** The newest resume token of this conversation; a reconnect presents it to continue. */
  private resumeToken: string | null = null;
  /** What the user said before the session was ready, so its first words are not lost. */
  private preRoll: ArrayBuffer[] = [];
  readonly hooks: TestHooks;

  constructor(private readonly page: Location = window.location) {
    this.hooks = {
      status: "idle",
      playedSamples: 0,
      bufferedSamples: 0,
      clearedSamples: 0,
      playing: false,
      audioFramesSent: 0,
      videoFramesSent: 0,
      marksAcked: [],
      connections: 0,
      level: 0,
      contextTime: () => this.audio?.context.currentTime ?? 0,
    };
  }

  // -- subscription (useSyncExternalStore) -------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  onLevel(listener: (level: number) => void): () => void {
    this.levelListeners.add(listener);
    return () => this.levelListeners.delete(listener);
  }

  private update(change: Partial<Snapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    this.hooks.status = this.snapshot.status;
    for (const listener of this.listeners) listener();
  }

  private notice(text: string, tone: "info" | "error" = "info"): void {
    this.update({ conversation: addNotice(this.snapshot.conversation, text, tone) });
  }

  // -- user actions -------------------------------------------------------------------------

  async start(options: StartOptions): Promise<void> {
    if (this.snapshot.status !== "idle" && this.snapshot.status !== "error") return;
    this.options = options;
    this.resumeToken = null; // a start by the user begins a new conversation
    this.stopping = false;
    this.lastError = null;
    this.everOpened = false;
    this.update({ status: "connecting", reason: null, attempt: 0, mode: options.mode });
    try {
      this.audio = await AudioEngine.open({
        onFrame: (pcm, level) => this.onMicFrame(pcm, level),
        onMarkPlayed: (name) => this.send({ type: "mark", name }, () => this.hooks.marksAcked.push(name)),
        onStats: (stats) => this.onPlaybackStats(stats),
      });
      if (options.mode !== "audio") {
        const stream = await openVideo(options.mode);
        this.video = new FrameGrabber(stream, (jpeg) => this.onVideoFrame(jpeg));
        await this.video.start();
        stream.getVideoTracks()[0]?.addEventListener("ended", () => void this.stop());
        this.update({ preview: stream });
      }
    } catch (error) {
      await this.release();
      this.fail(describeMediaError(error));
      return;
    }
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.resumeToken = null;
    window.clearTimeout(this.retryTimer);
    if (this.socket?.readyState === WebSocket.OPEN) this.send({ type: "stop" });
    this.closeSocket();
    await this.release();
    this.update({ status: "idle", reason: null, attempt: 0, playing: false, preview: null });
  }

  /** Stop the assistant's reply now: silence locally at once and tell the server. */
  interrupt(): void {
    this.audio?.clear();
    this.muteReplyUntil = performance.now() + INTERRUPT_GRACE_MS;
    this.send({ type: "interrupt" });
  }

  sendText(text: string): void {
    const trimmed = text.trim();
    if (!trimmed || !this.ready) return;
    this.send({ type: "text", text: trimmed });
    this.update({ conversation: addTyped(this.snapshot.conversation, trimmed) });
  }

  clearConversation(): void {
    this.update({ conversation: emptyConversation });
  }

  // -- connection ---------------------------------------------------------------------------

  private connect(): void {
    const socket = new WebSocket(socketUrl(this.page));
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    this.ready = false;
    socket.onopen = () => {
      if (!this.options) return;
      this.hooks.connections++;
      this.everOpened = true;
      const resume = this.resumeToken ? { resume: this.resumeToken } : {};
      this.send({ type: "start", ...this.options, ...resume });
      this.lastPong = performance.now();
      this.pingTimer = window.setInterval(() => this.ping(), PING_EVERY_MS);
    };
    socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === "string") {
        const message = parseServerMessage(event.data);
        if (message) this.onMessage(message);
      } else {
        this.onReplyAudio(event.data);
      }
    };
    socket.onclose = (event) => this.onClose(socket, event.code, event.reason);
  }

  private closeSocket(): void {
    window.clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = null;
    this.ready = false;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000);
    }
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    window.clearInterval(this.pingTimer);
    this.socket = null;
    this.ready = false;
    this.audio?.clear();
    if (this.stopping) return;
    if (FATAL_CLOSE_CODES.has(code) || !this.everOpened) {
      // A refused handshake (wrong or missing token, foreign origin) looks like any failed
      // connection to the page, so a session that never connected stops here with a reason.
      void this.release();
      this.fail(
        reason ||
          (this.everOpened
            ? `The server refused the connection (code ${code}).`
            : "Could not connect. The server refused the connection (check the token in the page address) or is not running."),
      );
      return;
    }
    this.scheduleReconnect(this.leaving ?? (reason || null));
  }

  /** Try again later with backoff; the session restarts with the same settings. */
  private scheduleReconnect(reason: string | null): void {
    this.leaving = null;
    const attempt = this.snapshot.attempt;
    if (attempt === 0) this.notice("Connection lost; reconnecting...");
    this.update({ status: "reconnecting", reason, attempt: attempt + 1 });
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.connect(), backoffDelay(attempt));
  }

  private ping(): void {
    if (performance.now() - this.lastPong > PONG_TIMEOUT_MS) {
      this.socket?.close(4000, "no pong");
      return;
    }
    this.send({ type: "ping", id: ++this.pingId });
  }

  private send(message: ClientMessage, after?: () => void): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify(message));
    after?.();
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case "ready": {
        const resumed = this.snapshot.attempt > 0;
        this.ready = true;
        this.update({ status: "active", reason: null, attempt: 0, session: message });
        for (const pcm of this.preRoll) this.sendAudio(pcm);
        this.preRoll = [];
        this.notice(
          !resumed
            ? `Connected to ${message.backend} (${message.model}).`
            : message.resumed === false
              ? "Reconnected; a new conversation started."
              : "Reconnected; the conversation continues.",
        );
        return;
      }
      case "resume":
        this.resumeToken = message.token;
        return;
      case "resume_refused":
        this.resumeToken = null;
        this.notice(message.message);
        return;
      case "pong":
        this.lastPong = performance.now();
        return;
      case "clear":
        this.audio?.clear();
        this.muteReplyUntil = 0;
        return;
      case "mark":
        if (this.replyMuted()) return;
        this.audio?.mark(message.name);
        return;
      case "stopped":
        this.onStopped(message.reason ?? "closed");
        return;
      case "error":
        if (!this.ready && message.retryable) {
          // Refused for now (the server is busy): close and try again with backoff.
          this.closeSocket();
          this.scheduleReconnect(message.message);
          return;
        }
        if (!message.retryable) this.lastError = `${message.code}: ${message.message}`;
        break;
      case "interrupted":
        this.audio?.clear();
        this.muteReplyUntil = 0;
        break;
      case "turn_complete":
        this.muteReplyUntil = 0;
        break;
      default:
        break;
    }
    this.update({ conversation: reduceConversation(this.snapshot.conversation, message) });
  }

  /** The server ended the session: on our request, on shutdown (reconnect), or for a reason. */
  private onStopped(reason: string): void {
    if (reason === "shutdown") {
      // The server is going away; its socket closes next and onClose reconnects.
      this.ready = false;
      this.leaving = "The server shut down; waiting for it to come back.";
      return;
    }
    this.stopping = true;
    this.closeSocket();
    void this.release();
    if (reason === "stopped") {
      this.update({ status: "idle", reason: null, playing: false, preview: null });
    } else {
      this.fail(this.lastError ?? `The session ended (${reason}).`);
    }
  }

  private replyMuted(): boolean {
    return performance.now() < this.muteReplyUntil;
  }

  // -- media --------------------------------------------------------------------------------

  private onMicFrame(pcm: ArrayBuffer, level: number): void {
    this.hooks.level = level;
    for (const listener of this.levelListeners) listener(level);
    if (!this.ready || this.socket?.readyState !== WebSocket.OPEN) {
      this.preRoll.push(pcm);
      if (this.preRoll.length > PRE_ROLL_FRAMES) this.preRoll.shift();
      return;
    }
    this.sendAudio(pcm);
  }

  private sendAudio(pcm: ArrayBuffer): void {
    this.socket?.send(tagged(TAG_AUDIO, pcm));
    this.hooks.audioFramesSent++;
  }

  private onVideoFrame(jpeg: ArrayBuffer): void {
    if (!this.ready || this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(tagged(TAG_JPEG, jpeg));
    this.hooks.videoFramesSent++;
  }

  private onReplyAudio(pcm: ArrayBuffer): void {
    if (this.replyMuted()) return;
    this.audio?.play(pcm);
  }

  private onPlaybackStats(stats: PlaybackStats): void {
    this.hooks.playedSamples = stats.played;
    this.hooks.bufferedSamples = stats.buffered;
    this.hooks.clearedSamples = stats.cleared;
    this.hooks.playing = stats.playing;
    if (stats.playing !== this.snapshot.playing) this.update({ playing: stats.playing });
  }

  private fail(reason: string): void {
    this.update({ status: "error", reason, attempt: 0, playing: false, preview: null });
  }

  private async release(): Promise<void> {
    this.video?.stop();
    this.video = null;
    const audio = this.audio;
    this.audio = null;
    this.ready = false;
    this.preRoll = [];
    if (audio) await audio.close();
  }
}

function describeMediaError(error: unknown): string {
  if (error instanceof DOMException) {
    if (error.name === "NotAllowedError") return "Permission to use the microphone, camera or screen was denied.";
    if (error.name === "NotFoundError") return "No microphone or camera was found.";
    return `${error.name}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
