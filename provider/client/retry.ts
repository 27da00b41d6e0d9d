/**
 * Retry policy: which failures are retried, how long to wait, when to give up.
 *
 * An explicit loop rather than axios-retry 4.5: that one honours Retry-After and per-request
 * opt-out, but has no total time budget, ignores `ratelimit-reset`, and retries inside axios
 * interceptors, below the process-wide limiter we need every attempt to pass through.
 */
import { createDocrError, type DocrError, type DocrErrorInit, docrErrorInit, isDocrError } from "./errors";
import { sleep } from "./sleep";
import { LONG_WAIT_MS, type QuotaSettings, type QuotaWaits } from "./quota";

/** Bounds and pacing of retries. */
export interface RetryPolicy {
    /** Attempts in total, the first included. */
    maxAttempts: number;
    /** Time from when the first attempt went out after which no retry starts; never slept past. */
    maxRetryTimeMs: number;
    /** First backoff ceiling; doubles per retry (full jitter: a random wait in [0, ceiling)). */
    baseDelayMs: number;
    /** Cap of the backoff ceiling (a server's Retry-After is honoured beyond it, within the quota wait budget). */
    maxDelayMs: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_MAX_RETRY_TIME_MS = 60_000;
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_RETRY_MAX_DELAY_MS = 15_000;
/**
 * The shortest wait after a 429: a server answering 429 with `Retry-After: 0` would otherwise be
 * asked again at once, over and over, for the whole quota wait budget.
 */
const MIN_RATE_LIMITED_DELAY_MS = 250;
/**
 * Cap of the backoff after 429s that say nothing usable of when to come back: the per-minute
 * window has turned by then. Beyond the fault cap (`maxDelayMs`): an hour of refusals then costs
 * tens of requests, not thousands.
 */
const MAX_RATE_LIMITED_DELAY_MS = 60_000;

/** How a client reports what it does; never passed the token. */
export type Logger = (level: "debug" | "info" | "warn", message: string) => void;

/**
 * Whether retrying may help: 429, 5xx (but 501), timeouts, and transport failures that are
 * usually momentary. DNS "no such host" and TLS/certificate failures are not: retrying only
 * delays the real error. Whether retrying is *safe* is the caller's `idempotent` flag.
 */
export function isTransient(err: DocrError): boolean {
    switch (err.kind) {
        case "rate_limited":
        case "timeout":
            return true;
        case "server_error":
            return err.status !== undefined && err.status >= 500 && err.status !== 501;
        case "network":
            return [
                "ECONNRESET",
                "ECONNREFUSED",
                "EPIPE",
                "ETIMEDOUT",
                "ECONNABORTED",
                "EAI_AGAIN",
                "ENETUNREACH",
                "EHOSTUNREACH",
                "ENETDOWN",
                "ERR_NETWORK",
                "ERR_STREAM_PREMATURE_CLOSE",
                "ERR_BAD_RESPONSE",
            ].includes(err.code ?? "");
        default:
            return false;
    }
}

/** Full-jitter exponential backoff before retry number `retry` (1 = first retry). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
    return Math.floor(random() * ceiling);
}

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `now`; anything else
 * (`-1`, `soon`) is `undefined`, not a date that `Date.parse` happens to make of it.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
    if (value === undefined || value.trim() === "") return undefined;
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
    if (!/^[A-Za-z]{3},? \d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Wait implied by `ratelimit-reset` when `ratelimit-remaining` is 0. The API sends Unix epoch
 * seconds; small values are taken as delta seconds, as some proxies send.
 */
export function parseRateLimitReset(
    remaining: string | undefined,
    reset: string | undefined,
    now: number = Date.now(),
): number | undefined {
    if (remaining === undefined || reset === undefined || Number(remaining) !== 0) return undefined;
    const seconds = Number(reset);
    if (!Number.isFinite(seconds) || seconds < 0) return undefined;
    return seconds < 1e9 ? Math.ceil(seconds * 1000) : Math.max(0, seconds * 1000 - now);
}

/** What {@link withRetries} needs to know about the call. */
export interface RetryContext {
    operation: string;
    /** Retrying is safe: repeating the request cannot do something twice. */
    idempotent: boolean;
    policy: RetryPolicy;
    log: Logger;
    /**
     * When the first attempt actually went out. The budget counts from there, not from the call:
     * time queued behind the process-wide limiter must not use up a request's retries.
     */
    firstSentAt?: () => number | undefined;
    /**
     * 429s wait against this budget, not the fault retry budget: the API's `Retry-After` can be up
     * to a minute (the hour's, longer), and a 429 means "later", not "broken". Shared with the
     * pacing waits of the same call.
     */
    quota?: { settings: QuotaSettings; waits: QuotaWaits; window: () => string; notice: (message: string) => void };
}

/**
 * Runs `attempt` until it succeeds, fails permanently, or the policy is exhausted. The error
 * thrown at the end records `attempts` and, in its message, why retrying stopped.
 */
export async function withRetries<T>(ctx: RetryContext, attempt: (n: number) => Promise<T>): Promise<T> {
    const { policy } = ctx;
    const started = Date.now();
    const quota = ctx.quota ?? {
        settings: { reserve: 0, maxWaitMs: policy.maxRetryTimeMs, perMinuteLimit: Number.POSITIVE_INFINITY },
        waits: { waitedMs: 0 },
        window: () => "rate limit",
        notice: () => undefined,
    };
    let faults = 0;
    let refusals = 0;
    let waitedAtFirstSend: number | undefined;
    for (let n = 1; ; n++) {
        try {
            return await attempt(n);
        } catch (err) {
            if (!isDocrError(err)) throw err;
            if (ctx.firstSentAt?.() !== undefined) waitedAtFirstSend ??= quota.waits.waitedMs;
            if (!isTransient(err)) throw annotate(err, n);
            if (err.kind === "rate_limited") {
                // A 429 is a refusal before the server acted, so even a create may be sent again; it does
                // not count as one of maxAttempts: waiting for quota is bounded by time (maxQuotaWaitMs).
                refusals++;
                const delay = retryDelay(err, refusals, policy);
                const { maxWaitMs } = quota.settings;
                if (quota.waits.waitedMs + delay > maxWaitMs) {
                    throw annotate(
                        err,
                        n,
                        `gave up after ${n} attempt${n === 1 ? "" : "s"}: waiting ${delay} ms more for the API's ` +
                            `${quota.window()} would exceed the ${maxWaitMs} ms quota wait budget (maxQuotaWaitMs, DOCR_MAX_QUOTA_WAIT_MS)`,
                    );
                }
                if (delay >= LONG_WAIT_MS)
                    quota.notice(`waiting ${Math.round(delay / 1000)} s for the API's ${quota.window()} (Retry-After)`);
                ctx.log(
                    "warn",
                    `${err.message}; waiting ${delay} ms for the API's ${quota.window()} (${quota.waits.waitedMs} of ${maxWaitMs} ms quota wait used)`,
                );
                const before = Date.now();
                await sleep(delay);
                quota.waits.waitedMs += Date.now() - before;
                continue;
            }
            faults++;
            if (!ctx.idempotent)
                throw annotate(err, n, `not retried automatically: ${ctx.operation} is not idempotent`);
            if (faults >= policy.maxAttempts) throw annotate(err, n, `gave up after ${n} attempts`);
            const delay = retryDelay(err, faults, policy);
            // Time spent waiting for quota since the first send is not time spent failing.
            const quotaWaited = quota.waits.waitedMs - (waitedAtFirstSend ?? quota.waits.waitedMs);
            const remaining = policy.maxRetryTimeMs - (Date.now() - (ctx.firstSentAt?.() ?? started) - quotaWaited);
            if (delay > remaining) {
                throw annotate(
                    err,
                    n,
                    `gave up after ${n} attempt${n === 1 ? "" : "s"}: the next retry ` +
                        `(in ${delay} ms) would exceed the ${policy.maxRetryTimeMs} ms retry budget`,
                );
            }
            ctx.log("warn", `${err.message}; attempt ${faults} of ${policy.maxAttempts}, retrying in ${delay} ms`);
            await sleep(delay);
        }
    }
}

/**
 * The wait before retry number `retry` of `err`'s kind. A server's wait is a minimum, with a little
 * jitter to keep concurrent clients apart. A 429 without one (or with one of zero, which asked
 * again at once would be answered the same) backs off exponentially, with half the ceiling as a
 * floor so that it never collapses to nothing.
 */
function retryDelay(err: DocrError, retry: number, policy: RetryPolicy): number {
    const rateLimited = err.kind === "rate_limited";
    if (err.retryAfterMs !== undefined && (err.retryAfterMs > 0 || !rateLimited))
        return Math.max(
            rateLimited ? MIN_RATE_LIMITED_DELAY_MS : 0,
            err.retryAfterMs + Math.floor(Math.random() * Math.min(policy.baseDelayMs, 1000)),
        );
    if (!rateLimited) return backoffDelay(retry, policy);
    const ceiling = Math.min(
        MAX_RATE_LIMITED_DELAY_MS,
        Math.max(2 * MIN_RATE_LIMITED_DELAY_MS, policy.baseDelayMs * 2 ** (retry - 1)),
    );
    return Math.ceil(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function annotate(err: DocrError, attempts: number, retryNote?: string): DocrError {
    const init: DocrErrorInit = { ...docrErrorInit(err), attempts, retryNote };
    return createDocrError(init);
}
