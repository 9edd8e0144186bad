/** Cuts a stream of samples into fixed-size frames. */
export class Framer {
  private buffer: Float32Array;
  private fill = 0;

  constructor(readonly frameSize: number) {
    if (!Number.isInteger(frameSize) || frameSize <= 0) {
      throw new RangeError("frame size must be a positive integer");
    }
    this.buffer = new Float32Array(frameSize);
  }

  /** Add samples; returns every frame they complete, oldest first. */
  push(samples: Float32Array): Float32Array[] {
    const frames: Float32Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.frameSize - this.fill, samples.length - offset);
      this.buffer.set(samples.subarray(offset, offset + take), this.fill);
      this.fill += take;
      offset += take;
      if (this.fill === this.frameSize) {
        frames.push(this.buffer);
        this.buffer = new Float32Array(this.frameSize);
        this.fill = 0;
      }
    }
    return frames;
  }

  /** Samples waiting for the next frame. */
  get pending(): number {
    return this.fill;
  }

  reset(): void {
    this.fill = 0;
  }
}
