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

  /** Admits or refuses a request arriving at `now`. */
  take(now: number): RateDecision {
    if (!this.enabled) {
      const reset = Math.ceil((now + WINDOW_MS) / 1000);
      return { allowed: true, headers: headers(DISABLED_REPORTED_LIMIT, DISABLED_REPORTED_LIMIT, reset) };
    }
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - WINDOW_MS) this.stamps.shift();
    const allowed = this.stamps.length < this.limit;
    if (allowed) this.stamps.push(now);
    const oldest = this.stamps[0] ?? now;
    const reset = Math.ceil((oldest + WINDOW_MS) / 1000);
    const h = headers(this.limit, this.limit - this.stamps.length, reset);
    if (allowed) return { allowed, headers: h };
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    return { allowed, headers: { ...h, "retry-after": String(retryAfterSeconds) }, retryAfterSeconds };
  }
}

function headers(limit: number, remaining: number, reset: number): Record<string, string> {
  return {
    "ratelimit-limit": String(limit),
    "ratelimit-remaining": String(Math.max(0, remaining)),
    "ratelimit-reset": String(reset),
  };
}
