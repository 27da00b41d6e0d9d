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
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 8;

/** Limiter settings; clients with equal settings share one limiter. */
export interface LimiterSettings {
  maxRequestsPerMinute: number;
  maxConcurrentRequests: number;
}

type LimiterRegistry = Map<string, Bottleneck>;

function registry(): LimiterRegistry {
  const key = Symbol.for("pulumi-docr.limiter");
  const holder = globalThis as unknown as Record<symbol, LimiterRegistry | undefined>;
  let found = holder[key];
  if (!found) {
    found = new Map<string, Bottleneck>();
    holder[key] = found;
  }
  return found;
}

/**
 * The shared limiter for these settings, created on first use.
 *
 * Starts are spaced by `minTime = 60 s / limit`, which bounds every sliding 60-second window to
 * the limit. (A refilled reservoir would allow twice the limit across a window boundary, and
 * Bottleneck's incremental refill drifts with its heartbeat.)
 */
export function sharedLimiter(settings: LimiterSettings): Bottleneck {
  const id = `${settings.maxRequestsPerMinute}/${settings.maxConcurrentRequests}`;
  const limiters = registry();
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new Bottleneck({
      maxConcurrent: settings.maxConcurrentRequests,
      minTime: Math.ceil(60_000 / settings.maxRequestsPerMinute),
    });
    limiters.set(id, limiter);
  }
  return limiter;
}

/** Runs `task` when the shared limiter allows. Never hold a slot while sleeping between retries. */
export function limited<T>(settings: LimiterSettings, task: () => Promise<T>): Promise<T> {
  return sharedLimiter(settings).schedule(task);
}
