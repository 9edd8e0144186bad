/// <reference types="@types/audioworklet" />
import { Framer } from "./framer";
import { CAPTURE_PROCESSOR, type CaptureFrame, type CaptureOptions } from "./messages";
import { floatToPcm16, rms } from "./pcm";
import { StreamResampler } from "./resample";

/** Microphone -> 16 kHz PCM16 frames, posted to the main thread as they fill. */
class CaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler: StreamResampler;
  private readonly framer: Framer;

  constructor(options: { processorOptions?: unknown }) {
    super();
    const opts = options.processorOptions as CaptureOptions;
    this.resampler = new StreamResampler(sampleRate, opts.targetRate);
    this.framer = new Framer(opts.frameSize);
  }

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    for (const frame of this.framer.push(this.resampler.process(channel))) {
      const pcm = floatToPcm16(frame);
      const message: CaptureFrame = { type: "frame", pcm: pcm.buffer, level: rms(frame) };
      this.port.postMessage(message, [pcm.buffer]);
    }
    return true;
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
