/// <reference types="@types/audioworklet" />
import { JitterBuffer } from "./jitter";
import {
  PLAYBACK_PROCESSOR,
  type PlaybackCommand,
  type PlaybackOptions,
  type PlaybackReport,
} from "./messages";
import { bytesToPcm16, pcm16ToFloat } from "./pcm";
import { StreamResampler } from "./resample";

/** Reports at most this often (in render quanta of 128 samples) unless something changed. */
const STATS_EVERY = 16;

/** Reply audio (PCM16 at the source rate) -> jitter buffer -> speakers. */
class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly resampler: StreamResampler;
  private readonly buffer: JitterBuffer;
  private played = 0;
  private cleared = 0;
  private quanta = 0;
  private wasPlaying = false;

  constructor(options: { processorOptions?: unknown }) {
    super();
    const opts = options.processorOptions as PlaybackOptions;
    this.resampler = new StreamResampler(opts.sourceRate, sampleRate);
    this.buffer = new JitterBuffer(Math.round((opts.prebufferMs / 1000) * sampleRate));
    this.port.onmessage = (event: MessageEvent<PlaybackCommand>) => this.handle(event.data);
  }

  private handle(command: PlaybackCommand): void {
    switch (command.type) {
      case "audio":
        this.buffer.push(this.resampler.process(pcm16ToFloat(bytesToPcm16(command.pcm))));
        break;
      case "mark":
        this.buffer.mark(command.name);
        break;
      case "clear":
        this.cleared += this.buffer.clear();
        this.resampler.reset();
        this.report();
        break;
    }
  }

  private report(): void {
    const stats: PlaybackReport = {
      type: "stats",
      played: this.played,
      buffered: this.buffer.buffered,
      playing: this.buffer.playing,
      cleared: this.cleared,
    };
    this.port.postMessage(stats);
    this.wasPlaying = stats.playing;
    this.quanta = 0;
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    const { played, marks } = this.buffer.pull(out);
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    this.played += played;
    for (const name of marks) this.port.postMessage({ type: "mark", name } satisfies PlaybackReport);
    this.quanta++;
    if (this.buffer.playing !== this.wasPlaying || (played > 0 && this.quanta >= STATS_EVERY)) {
      this.report();
    }
    return true;
  }
}

registerProcessor(PLAYBACK_PROCESSOR, PlaybackProcessor);
