/** Headers and verdict for one request. */
export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds until a slot frees up (only when refused). */
  retryAfterSeconds?: number;
}

const WINDOW_MS = 60_000;
/** What the headers report when limiting is disabled: the API's documented hourly quota. */
const DISABLED_REPORTED_LIMIT = 5000;

/**
 * Sliding one-minute window over admitted requests, like the API's per-minute limit.
 * Refused requests do not consume a slot, so a client that honours Retry-After gets through.
 */
export class RateLimiter {
  private stamps: number[] = [];

  /** `limit` 0 or Infinity disables refusals (headers are still sent). */
  constructor(private readonly limit: number) {}

  private get enabled(): boolean {
    return Number.isFinite(this.limit) && this.limit > 0;
  }

  /** Forgets all admitted requests. */
  reset(): void {
    this.stamps = [];
  }

  /** Admits or refuses a request arriving at `now`; only an admitted one takes a slot. */
  take(now: number): RateDecision {
    if (!this.enabled) return { allowed: true, headers: this.peek(now) };
    this.prune(now);
    const allowed = this.stamps.length < this.limit;
    if (allowed) {
      this.stamps.push(now);
      return { allowed, headers: this.peek(now) };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((this.oldest(now) + WINDOW_MS - now) / 1000));
    return { allowed, headers: { ...this.peek(now), "retry-after": String(retryAfterSeconds) }, retryAfterSeconds };
  }

  /**
   * The `ratelimit-*` headers at `now`, without taking a slot: the API counts per token, so a
   * request that does not carry the token must not use up the token's window.
   */
  peek(now: number): Record<string, string> {
    if (!this.enabled) {
      const reset = Math.ceil((now + WINDOW_MS) / 1000);
      return headers(DISABLED_REPORTED_LIMIT, DISABLED_REPORTED_LIMIT, reset);
    }
    this.prune(now);
    return headers(this.limit, this.limit - this.stamps.length, Math.ceil((this.oldest(now) + WINDOW_MS) / 1000));
  }

  private prune(now: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - WINDOW_MS) this.stamps.shift();
  }

  private oldest(now: number): number {
    return this.stamps[0] ?? now;
  }
}

function headers(limit: number, remaining: number, reset: number): Record<string, string> {
  return {
    "ratelimit-limit": String(limit),
    "ratelimit-remaining": String(Math.max(0, remaining)),
    "ratelimit-reset": String(reset),
  };
}
