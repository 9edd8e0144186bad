/** Messages between the main thread and the audio worklets. */

export const CAPTURE_PROCESSOR = "voicelive-capture";
export const PLAYBACK_PROCESSOR = "voicelive-playback";

export interface CaptureOptions {
  targetRate: number;
  frameSize: number;
}

/** Capture worklet -> main: one PCM16 LE frame at the target rate, with its RMS level. */
export interface CaptureFrame {
  type: "frame";
  pcm: ArrayBuffer;
  level: number;
}

export interface PlaybackOptions {
  sourceRate: number;
  prebufferMs: number;
}

/** Main -> playback worklet. */
export type PlaybackCommand =
  | { type: "audio"; pcm: ArrayBuffer }
  | { type: "mark"; name: string }
  | { type: "clear" };

/** Playback worklet -> main. */
export type PlaybackReport =
  | { type: "mark"; name: string }
  | { type: "stats"; played: number; buffered: number; playing: boolean; cleared: number };
