/**
 * Streaming sample-rate conversion for the audio worklets.
 *
 * Linear interpolation between input samples, preceded by a windowed-sinc
 * low-pass filter when the rate goes down, so that content above the new
 * Nyquist frequency does not fold back as aliasing. State (filter history,
 * fractional read position) is kept between calls, so feeding a signal in
 * blocks of any size gives the same output as feeding it at once.
 */

/** Build a normalised windowed-sinc (Blackman) low-pass kernel. */
export function lowPassKernel(cutoff: number, taps: number): Float32Array {
  const kernel = new Float32Array(taps);
  const mid = (taps - 1) / 2;
  let sum = 0;
  for (let i = 0; i < taps; i++) {
    const x = i - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w =
      0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (taps - 1)) +
      0.08 * Math.cos((4 * Math.PI * i) / (taps - 1));
    kernel[i] = sinc * w;
    sum += kernel[i];
  }
  for (let i = 0; i < taps; i++) kernel[i] /= sum;
  return kernel;
}

/** A streaming FIR filter that keeps its history between blocks. */
class FirFilter {
  private readonly history: Float32Array;
  private pos = 0;

  constructor(private readonly kernel: Float32Array) {
    this.history = new Float32Array(kernel.length);
  }

  process(input: Float32Array): Float32Array {
    const n = this.kernel.length;
    const out = new Float32Array(input.length);
    for (let i = 0; i < input.length; i++) {
      this.history[this.pos] = input[i];
      let acc = 0;
      let h = this.pos;
      for (let k = 0; k < n; k++) {
        acc += this.kernel[k] * this.history[h];
        h = h === 0 ? n - 1 : h - 1;
      }
      out[i] = acc;
      this.pos = (this.pos + 1) % n;
    }
    return out;
  }

  reset(): void {
    this.history.fill(0);
    this.pos = 0;
  }
}

/** Converts a stream of float samples from one rate to another. */
export class StreamResampler {
  /** Input samples consumed per output sample. */
  readonly step: number;
  private readonly filter: FirFilter | null;
  /** Position of the next output sample, relative to `prev` (0 = prev, 1 = first new input). */
  private t = 1;
  private prev = 0;

  constructor(
    readonly inRate: number,
    readonly outRate: number,
    taps = 31,
  ) {
    if (!(inRate > 0) || !(outRate > 0)) throw new RangeError("sample rates must be positive");
    this.step = inRate / outRate;
    this.filter =
      outRate < inRate ? new FirFilter(lowPassKernel((0.45 * outRate) / inRate, taps)) : null;
  }

  /** Convert one block; returns the output samples this block completes. */
  process(input: Float32Array): Float32Array {
    if (this.inRate === this.outRate) return input.slice();
    const x = this.filter ? this.filter.process(input) : input;
    const out: number[] = [];
    // Interpolate between prev (index 0) and x[0..] (indices 1..n).
    const n = x.length;
    let t = this.t;
    while (t <= n) {
      const i = Math.floor(t);
      const frac = t - i;
      const a = i === 0 ? this.prev : x[i - 1];
      const b = i < n ? x[i] : a;
      out.push(frac === 0 ? a : a + (b - a) * frac);
      t += this.step;
    }
    if (n > 0) this.prev = x[n - 1];
    this.t = t - n;
    return Float32Array.from(out);
  }

  /** Forget all state, as if newly constructed. */
  reset(): void {
    this.filter?.reset();
    this.t = 1;
    this.prev = 0;
  }
}
