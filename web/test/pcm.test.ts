import { describe, expect, it } from "vitest";
import { Framer } from "../src/audio/framer";
import { bytesToPcm16, floatToPcm16, pcm16ToFloat, rms } from "../src/audio/pcm";

describe("PCM16 conversion", () => {
  it("maps the float range onto 16 bits and clamps", () => {
    expect([...floatToPcm16(Float32Array.from([0, 1, -1, 2, -2, 0.5]))]).toEqual([
      0, 32767, -32768, 32767, -32768, 16384,
    ]);
  });

  it("round-trips within two steps", () => {
    const input = Float32Array.from([0.1, -0.25, 0.999, -0.5]);
    const back = pcm16ToFloat(floatToPcm16(input));
    for (let i = 0; i < input.length; i++) expect(Math.abs(back[i] - input[i])).toBeLessThan(2 / 32768);
  });

  it("reads little-endian bytes and ignores an odd trailing byte", () => {
    const bytes = Uint8Array.from([0x01, 0x00, 0xff, 0xff, 0x00, 0x80, 0x7f]).buffer;
    expect([...bytesToPcm16(bytes)]).toEqual([1, -1, -32768]);
  });

  it("computes RMS", () => {
    expect(rms(new Float32Array(0))).toBe(0);
    expect(rms(Float32Array.from([0.5, -0.5]))).toBeCloseTo(0.5);
  });
});

describe("Framer", () => {
  it("cuts 20 ms frames at 16 kHz from 128-sample render blocks", () => {
    const framer = new Framer(320);
    let frames = 0;
    for (let i = 0; i < 10; i++) frames += framer.push(new Float32Array(128)).length;
    expect(frames).toBe(4);
    expect(framer.pending).toBe(1280 - 4 * 320);
  });

  it("keeps sample order across frames", () => {
    const framer = new Framer(3);
    const frames = framer.push(Float32Array.from([1, 2, 3, 4, 5, 6, 7]));
    expect(frames.map((f) => [...f])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([...framer.push(Float32Array.from([8, 9]))[0]]).toEqual([7, 8, 9]);
  });

  it("rejects a bad frame size", () => {
    expect(() => new Framer(0)).toThrow(RangeError);
  });
});
