/** Main-thread side of the audio: microphone capture and reply playback through worklets. */
import captureUrl from "./capture.worklet.ts?worker&url";
import playbackUrl from "./playback.worklet.ts?worker&url";
import {
  CAPTURE_PROCESSOR,
  PLAYBACK_PROCESSOR,
  type CaptureFrame,
  type CaptureOptions,
  type PlaybackCommand,
  type PlaybackOptions,
  type PlaybackReport,
} from "./messages";

export const INPUT_RATE = 16000;
export const OUTPUT_RATE = 24000;
/** 20 ms frames at 16 kHz. */
export const FRAME_SAMPLES = 320;
export const PREBUFFER_MS = 80;

export interface PlaybackStats {
  played: number;
  buffered: number;
  playing: boolean;
  cleared: number;
}

export interface AudioCallbacks {
  onFrame(pcm: ArrayBuffer, level: number): void;
  onMarkPlayed(name: string): void;
  onStats(stats: PlaybackStats): void;
}

export class AudioEngine {
  private constructor(
    readonly context: AudioContext,
    private readonly mic: MediaStream,
    private readonly capture: AudioWorkletNode,
    private readonly playback: AudioWorkletNode,
  ) {}

  /** Open the microphone (echo cancellation and noise suppression on) and both worklets. */
  static async open(callbacks: AudioCallbacks): Promise<AudioEngine> {
    const mic = await navigator.mediaDevices.getUserMedia({
      audio: {
        channelCount: 1,
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
      },
    });
    const context = new AudioContext({ latencyHint: "interactive" });
    try {
      await context.audioWorklet.addModule(captureUrl);
      await context.audioWorklet.addModule(playbackUrl);
      const captureOptions: CaptureOptions = { targetRate: INPUT_RATE, frameSize: FRAME_SAMPLES };
      const capture = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        channelCount: 1,
        channelCountMode: "explicit",
        processorOptions: captureOptions,
      });
      capture.port.onmessage = (event: MessageEvent<CaptureFrame>) =>
        callbacks.onFrame(event.data.pcm, event.data.level);
      const playbackOptions: PlaybackOptions = { sourceRate: OUTPUT_RATE, prebufferMs: PREBUFFER_MS };
      const playback = new AudioWorkletNode(context, PLAYBACK_PROCESSOR, {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [1],
        processorOptions: playbackOptions,
      });
      playback.port.onmessage = (event: MessageEvent<PlaybackReport>) => {
        const report = event.data;
        if (report.type === "mark") callbacks.onMarkPlayed(report.name);
        else callbacks.onStats(report);
      };
      // The capture node must be pulled by the graph to run; route it to a silent gain.
      const sink = context.createGain();
      sink.gain.value = 0;
      context.createMediaStreamSource(mic).connect(capture).connect(sink).connect(context.destination);
      playback.connect(context.destination);
      await context.resume();
      return new AudioEngine(context, mic, capture, playback);
    } catch (error) {
      for (const track of mic.getTracks()) track.stop();
      await context.close();
      throw error;
    }
  }

  private send(command: PlaybackCommand, transfer: Transferable[] = []): void {
    this.playback.port.postMessage(command, transfer);
  }

  /** Queue reply audio (PCM16 LE at the output rate). */
  play(pcm: ArrayBuffer): void {
    this.send({ type: "audio", pcm }, [pcm]);
  }

  /** Report `name` once everything queued so far has been played. */
  mark(name: string): void {
    this.send({ type: "mark", name });
  }

  /** Stop playback at once and drop whatever is queued. */
  clear(): void {
    this.send({ type: "clear" });
  }

  async close(): Promise<void> {
    this.capture.port.onmessage = null;
    this.playback.port.onmessage = null;
    for (const track of this.mic.getTracks()) track.stop();
    await this.context.close();
  }
}
