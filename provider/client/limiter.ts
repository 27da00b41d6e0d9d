/**
 * The process-wide request limiter: every DocrClient in the process shares it (see
 * provider/process-wide.ts), so concurrent resources together stay under the API's 250 requests a
 * minute.
 *
 * Hand-written rather than Bottleneck: Bottleneck's scheduler added ~4.6 ms to every request
 * (bench/engine-overhead.ts), which was most of the provider's overhead over a bare HTTP call.
 */
import { processWide } from "./process-wide";
import { sleep } from "./sleep";

/** The API's documented per-minute limit. */
export const DEFAULT_MAX_REQUESTS_PER_MINUTE = 250;
/** Requests in flight at once across the process. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 32;
/** The length of the sliding window the limit applies to. */
export const RATE_WINDOW_MS = 60_000;
/**
 * Arrival times at the API jitter by a few milliseconds against our start times: counting starts
 * over a slightly longer window (61 s for a minute) keeps the API's own count under the limit too.
 */
const WINDOW_MARGIN = 1 / 60;

/** Limiter settings; clients with equal settings share one limiter. */
export interface LimiterSettings {
    maxRequestsPerMinute: number;
    maxConcurrentRequests: number;
    /** Only tests shorten it; the API's limit is per minute. */
    windowMs?: number;
}

/** Requests in flight and waiting for a slot, and the start times that enforce the rate. */
export interface SharedLimiter {
    inFlight: number;
    waiting: (() => void)[];
    starts: number[];
}

/** The shared limiter for these settings, created on first use. */
export function sharedLimiter(settings: LimiterSettings): SharedLimiter {
    const id = `${settings.maxRequestsPerMinute}/${settings.maxConcurrentRequests}/${settings.windowMs ?? RATE_WINDOW_MS}`;
    return processWide<string, SharedLimiter>("limiter", id, () => ({ inFlight: 0, waiting: [], starts: [] }));
}

/** First come, first served: a slot is handed straight to the next waiter when one frees up. */
async function acquireSlot(limiter: SharedLimiter, max: number): Promise<void> {
    if (limiter.inFlight < max) {
        limiter.inFlight++;
        return;
    }
    await new Promise<void>((resolve) => limiter.waiting.push(resolve));
}

function releaseSlot(limiter: SharedLimiter): void {
    const next = limiter.waiting.shift();
    if (next) next();
    else limiter.inFlight--;
}

/**
 * Waits until a request may start: fewer than the limit started in the last window. A sliding
 * window lets a listing's pages go out at once (a burst) yet no minute ever holds more than the
 * limit, which neither fixed spacing (no bursts) nor a refilled reservoir (twice the limit across
 * a refill) gives.
 */
async function startSlot(starts: number[], limit: number, windowMs: number): Promise<void> {
    const span = windowMs * (1 + WINDOW_MARGIN);
    for (;;) {
        const now = Date.now();
        while (starts.length > 0 && starts[0] <= now - span) starts.shift();
        if (starts.length < limit) {
            starts.push(now);
            return;
        }
        await sleep(starts[0] + span - now + 1);
    }
}

/** Runs `task` when the shared limiter allows. Never hold a slot while sleeping between retries. */
export async function limited<T>(settings: LimiterSettings, task: () => Promise<T>): Promise<T> {
    const limiter = sharedLimiter(settings);
    await acquireSlot(limiter, settings.maxConcurrentRequests);
    try {
        await startSlot(limiter.starts, settings.maxRequestsPerMinute, settings.windowMs ?? RATE_WINDOW_MS);
        return await task();
    } finally {
        releaseSlot(limiter);
    }
}
