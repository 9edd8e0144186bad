/** Reconnection delays: exponential with jitter, capped. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay that is randomised, 0..1. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 8000, jitter: 0.2 };

/** Delay before reconnection attempt `attempt` (0-based); `random` is in [0, 1). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: number = Math.random(),
): number {
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  const spread = raw * options.jitter;
  return Math.round(raw - spread + 2 * spread * random);
}
