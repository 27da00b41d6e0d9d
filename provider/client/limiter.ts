/**
 * The process-wide request limiter: every DocrClient in the process shares it, so concurrent
 * resources together stay under the API's 250 requests a minute.
 *
 * It lives on `globalThis` (not in a module variable) because a dynamic provider's modules may be
 * loaded more than once (inlined by closure serialization and required normally), and module-level
 * state would not be shared, or would be written into state.
 */
import Bottleneck from "bottleneck";

/** The API's documented per-minute limit. */
export const DEFAULT_MAX_REQUESTS_PER_MINUTE = 250;
/** Requests in flight at once across the process. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 16;
/** The length of the sliding window the limit applies to. */
export const RATE_WINDOW_MS = 60_000;

/** Limiter settings; clients with equal settings share one limiter. */
export interface LimiterSettings {
  maxRequestsPerMinute: number;
  maxConcurrentRequests: number;
  /** Only tests shorten it; the API's limit is per minute. */
  windowMs?: number;
}

/** Bottleneck caps requests in flight; the start times enforce the sliding-window rate. */
interface SharedLimiter {
  concurrency: Bottleneck;
  starts: number[];
}

function registry(): Map<string, SharedLimiter> {
  const key = Symbol.for("pulumi-docr.limiter");
  const holder = globalThis as unknown as Record<symbol, Map<string, SharedLimiter> | undefined>;
  let found = holder[key];
  if (!found) {
    found = new Map<string, SharedLimiter>();
    holder[key] = found;
  }
  return found;
}

/** The shared limiter for these settings, created on first use. */
export function sharedLimiter(settings: LimiterSettings): SharedLimiter {
  const id = `${settings.maxRequestsPerMinute}/${settings.maxConcurrentRequests}/${settings.windowMs ?? RATE_WINDOW_MS}`;
  const limiters = registry();
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = { concurrency: new Bottleneck({ maxConcurrent: settings.maxConcurrentRequests }), starts: [] };
    limiters.set(id, limiter);
  }
  return limiter;
}

/**
 * Waits until a request may start: fewer than the limit started in the last window. A sliding
 * window lets a listing's pages go out at once (a burst) yet no minute ever holds more than the
 * limit, which neither fixed spacing (no bursts) nor a refilled reservoir (twice the limit across
 * a refill) gives.
 */
async function startSlot(starts: number[], limit: number, windowMs: number): Promise<void> {
  for (;;) {
    const now = Date.now();
    while (starts.length > 0 && starts[0]! <= now - windowMs) starts.shift();
    if (starts.length < limit) {
      starts.push(now);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, starts[0]! + windowMs - now + 1));
  }
}

/** Runs `task` when the shared limiter allows. Never hold a slot while sleeping between retries. */
export function limited<T>(settings: LimiterSettings, task: () => Promise<T>): Promise<T> {
  const limiter = sharedLimiter(settings);
  return limiter.concurrency.schedule(async () => {
    await startSlot(limiter.starts, settings.maxRequestsPerMinute, settings.windowMs ?? RATE_WINDOW_MS);
    return task();
  });
}
