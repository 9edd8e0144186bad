import { describe, expect, it } from "vitest";
import { JitterBuffer } from "../src/audio/jitter";

const block = (n: number, value = 0.5) => new Float32Array(n).fill(value);

describe("JitterBuffer", () => {
  it("holds audio back until the prebuffer is full", () => {
    const buffer = new JitterBuffer(256);
    buffer.push(block(200));
    const out = new Float32Array(128);
    expect(buffer.pull(out).played).toBe(0);
    expect(out.every((s) => s === 0)).toBe(true);
    buffer.push(block(100));
    expect(buffer.playing).toBe(true);
    expect(buffer.pull(out).played).toBe(128);
    expect(out.every((s) => s === 0.5)).toBe(true);
    expect(buffer.buffered).toBe(172);
  });

  it("plays samples in order across chunk boundaries", () => {
    const buffer = new JitterBuffer(0);
    buffer.push(Float32Array.from([1, 2, 3]));
    buffer.push(Float32Array.from([4, 5]));
    const out = new Float32Array(4);
    buffer.pull(out);
    expect([...out]).toEqual([1, 2, 3, 4]);
    const rest = buffer.pull(out);
    expect(rest.played).toBe(1);
    expect([...out]).toEqual([5, 0, 0, 0]);
  });

  it("re-primes after an underrun", () => {
    const buffer = new JitterBuffer(100);
    buffer.push(block(100));
    buffer.pull(new Float32Array(128));
    expect(buffer.playing).toBe(false);
    buffer.push(block(50));
    expect(buffer.pull(new Float32Array(128)).played).toBe(0);
  });

  it("releases a short tail once the reply's mark has arrived", () => {
    const buffer = new JitterBuffer(1000);
    buffer.push(block(60));
    buffer.mark("reply-1");
    const first = buffer.pull(new Float32Array(40));
    expect(first).toEqual({ played: 40, marks: [] });
    const second = buffer.pull(new Float32Array(40));
    expect(second).toEqual({ played: 20, marks: ["reply-1"] });
  });

  it("reports a mark with nothing queued on the next pull", () => {
    const buffer = new JitterBuffer(10);
    buffer.mark("empty");
    expect(buffer.pull(new Float32Array(8)).marks).toEqual(["empty"]);
  });

  it("reports several marks in order", () => {
    const buffer = new JitterBuffer(0);
    buffer.push(block(10));
    buffer.mark("a");
    buffer.push(block(10));
    buffer.mark("b");
    expect(buffer.pull(new Float32Array(15)).marks).toEqual(["a"]);
    expect(buffer.pull(new Float32Array(15)).marks).toEqual(["b"]);
  });

  it("empties at once on clear, dropping pending marks", () => {
    const buffer = new JitterBuffer(0);
    buffer.push(block(500));
    buffer.mark("never");
    buffer.pull(new Float32Array(128));
    expect(buffer.clear()).toBe(372);
    expect(buffer.buffered).toBe(0);
    expect(buffer.playing).toBe(false);
    const out = new Float32Array(128).fill(9);
    expect(buffer.pull(out)).toEqual({ played: 0, marks: [] });
    expect(out.every((s) => s === 0)).toBe(true);
  });

  it("places marks correctly after a clear", () => {
    const buffer = new JitterBuffer(0);
    buffer.push(block(100));
    buffer.clear();
    buffer.push(block(30));
    buffer.mark("after");
    expect(buffer.pull(new Float32Array(20)).marks).toEqual([]);
    expect(buffer.pull(new Float32Array(20)).marks).toEqual(["after"]);
  });
});
