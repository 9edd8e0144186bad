/**
 * The playback jitter buffer: reply audio arrives in bursts over the network
 * and is played at a steady rate by the audio thread.
 *
 * Playback starts once `prebuffer` samples are queued (or a mark arrives,
 * meaning the reply is complete), and re-primes after an underrun. Marks sit
 * at a sample position in the stream and are reported once the audio before
 * them has been played. `clear()` drops everything at once, marks included.
 */

export interface PullResult {
  /** Samples actually taken from the queue (the rest of the block is silence). */
  played: number;
  /** Marks whose position was reached during this block, in order. */
  marks: string[];
}

export class JitterBuffer {
  private chunks: Float32Array[] = [];
  /** Read offset into chunks[0]. */
  private offset = 0;
  private queued = 0;
  /** Total samples ever written / read; marks are positioned on the write axis. */
  private written = 0;
  private read = 0;
  private marks: { name: string; at: number }[] = [];
  private primed = false;

  constructor(readonly prebuffer: number) {}

  /** Samples waiting to be played. */
  get buffered(): number {
    return this.queued;
  }

  /** Whether the buffer is currently releasing audio. */
  get playing(): boolean {
    return this.primed && this.queued > 0;
  }

  push(samples: Float32Array): void {
    if (samples.length === 0) return;
    this.chunks.push(samples);
    this.queued += samples.length;
    this.written += samples.length;
    if (this.queued >= this.prebuffer) this.primed = true;
  }

  /** Place a mark after everything pushed so far; the tail is released even if short. */
  mark(name: string): void {
    this.marks.push({ name, at: this.written });
    this.primed = true;
  }

  /** Fill `out` with the next samples (silence where there are none). */
  pull(out: Float32Array): PullResult {
    let played = 0;
    if (this.primed) {
      while (played < out.length && this.chunks.length > 0) {
        const head = this.chunks[0];
        const take = Math.min(out.length - played, head.length - this.offset);
        out.set(head.subarray(this.offset, this.offset + take), played);
        played += take;
        this.offset += take;
        if (this.offset === head.length) {
          this.chunks.shift();
          this.offset = 0;
        }
      }
    }
    out.fill(0, played);
    this.queued -= played;
    this.read += played;
    const marks: string[] = [];
    while (this.marks.length > 0 && this.marks[0].at <= this.read) {
      marks.push(this.marks[0].name);
      this.marks.shift();
    }
    // Underrun: wait for a full prebuffer again unless a mark says the reply is complete.
    if (this.queued === 0 && this.marks.length === 0) this.primed = false;
    return { played, marks };
  }

  /** Drop all queued audio and pending marks at once. Returns the samples dropped. */
  clear(): number {
    const dropped = this.queued;
    this.chunks = [];
    this.offset = 0;
    this.queued = 0;
    this.read = this.written;
    this.marks = [];
    this.primed = false;
    return dropped;
  }
}
