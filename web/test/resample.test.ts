import { describe, expect, it } from "vitest";
import { StreamResampler, lowPassKernel } from "../src/audio/resample";

function tone(freq: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

function peak(samples: Float32Array, skip = 0): number {
  let max = 0;
  for (let i = skip; i < samples.length; i++) max = Math.max(max, Math.abs(samples[i]));
  return max;
}

/** Frequency estimated from upward zero crossings. */
function frequency(samples: Float32Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 && samples[i] >= 0) crossings++;
  return (crossings * rate) / samples.length;
}

function inBlocks(resampler: StreamResampler, input: Float32Array, sizes: number[]): Float32Array {
  const parts: number[] = [];
  let offset = 0;
  let i = 0;
  while (offset < input.length) {
    const size = sizes[i++ % sizes.length];
    parts.push(...resampler.process(input.subarray(offset, offset + size)));
    offset += size;
  }
  return Float32Array.from(parts);
}

describe("StreamResampler", () => {
  it("passes audio through unchanged at equal rates", () => {
    const input = tone(440, 16000, 0.1);
    expect(new StreamResampler(16000, 16000).process(input)).toEqual(input);
  });

  it.each([
    [48000, 16000],
    [44100, 16000],
    [24000, 48000],
    [24000, 44100],
    [16000, 16000],
  ])("produces the right number of samples from %i to %i Hz", (from, to) => {
    const resampler = new StreamResampler(from, to);
    const out = inBlocks(resampler, new Float32Array(from), [128]);
    expect(Math.abs(out.length - to)).toBeLessThanOrEqual(1);
  });

  it("gives the same output whatever the block sizes", () => {
    const input = tone(1000, 48000, 0.25);
    const whole = new StreamResampler(48000, 16000).process(input);
    const pieces = inBlocks(new StreamResampler(48000, 16000), input, [128, 7, 1, 300, 129]);
    expect(pieces.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(pieces[i]).toBeCloseTo(whole[i], 6);
  });

  it("keeps a tone's pitch and level when going down from 48 kHz to 16 kHz", () => {
    const out = new StreamResampler(48000, 16000).process(tone(1000, 48000, 1));
    expect(frequency(out, 16000)).toBeCloseTo(1000, -1);
    expect(peak(out, 100)).toBeGreaterThan(0.45);
    expect(peak(out, 100)).toBeLessThan(0.55);
  });

  it("keeps a tone's pitch when going up from 24 kHz to 44.1 kHz", () => {
    const out = new StreamResampler(24000, 44100).process(tone(440, 24000, 1));
    expect(frequency(out, 44100)).toBeCloseTo(440, -1);
    expect(peak(out, 100)).toBeGreaterThan(0.48);
  });

  it("suppresses content above the new Nyquist frequency instead of aliasing it", () => {
    // 12 kHz is above 8 kHz (Nyquist at 16 kHz); without the filter it would fold to 4 kHz.
    const out = new StreamResampler(48000, 16000).process(tone(12000, 48000, 0.5));
    expect(peak(out, 100)).toBeLessThan(0.02);
  });

  it("starts again from silence after reset", () => {
    const resampler = new StreamResampler(48000, 16000);
    const input = tone(500, 48000, 0.05);
    const first = resampler.process(input);
    resampler.process(tone(3000, 48000, 0.01));
    resampler.reset();
    expect(resampler.process(input)).toEqual(first);
  });

  it("rejects rates that are not positive", () => {
    expect(() => new StreamResampler(0, 16000)).toThrow(RangeError);
  });
});

describe("lowPassKernel", () => {
  it("has unity gain at DC and is symmetric", () => {
    const kernel = lowPassKernel(0.15, 31);
    expect(kernel.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (let i = 0; i < 15; i++) expect(kernel[i]).toBeCloseTo(kernel[30 - i], 9);
  });
});
