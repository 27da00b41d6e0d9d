/** Options of DocrClient and their resolution into the settings every call uses. */
import { ServerClock } from "./clock";
import { type Connection, resolveConnection } from "./connection";
import { createDocrError } from "./errors";
import { envNumber, POSITIVE, type NumberRange } from "./env";
import { DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_REQUESTS_PER_MINUTE } from "./limiter";
import { DEFAULT_MAX_LIST_TIME_MS, DEFAULT_PAGE_CONCURRENCY } from "./pagination";
import { DEFAULT_MAX_QUOTA_WAIT_MS, DEFAULT_QUOTA_RESERVE, quotaTracker } from "./quota";
import {
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_RETRY_TIME_MS,
    DEFAULT_RETRY_BASE_DELAY_MS,
    DEFAULT_RETRY_MAX_DELAY_MS,
    type Logger,
} from "./retry";
import type { ClientSettings } from "./settings";

/** Per-attempt timeout unless `timeoutMs` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Options of `DocrClient`: the {@link Connection} (read at construction) and tuning; everything is optional. */
export interface ClientOptions extends Connection {
    /** Per-attempt timeout for the whole exchange, body included. Default 30 000. */
    timeoutMs?: number;
    /** Attempts per call, the first included (retried calls only). Default 5. */
    maxAttempts?: number;
    /** No retry starts, and no backoff sleeps, past this time from the first attempt's send (queueing behind the limiter does not count). Default 60 000. */
    maxRetryTimeMs?: number;
    /** Receives retries (`warn`), requests (`debug`) and listing anomalies; never the token. */
    logger?: Logger;
    /**
     * First backoff ceiling (full jitter, doubling per retry); else `DOCR_RETRY_BASE_DELAY_MS`, else 500.
     * Small values make tests fast (the soak test runs the dynamic-provider host with a small value).
     * A server's `Retry-After` is honoured regardless.
     */
    retryBaseDelayMs?: number;
    /** Cap of the backoff ceiling. Default 15 000. */
    retryMaxDelayMs?: number;
    /** Process-wide request rate; else `DOCR_MAX_REQUESTS_PER_MINUTE`, else 250. */
    maxRequestsPerMinute?: number;
    /**
     * Share (0 to below 1) of the API's hourly quota (`ratelimit-limit`, 5,000) this process leaves
     * for the rest of the team: no request starts that would, as far as the latest `ratelimit-remaining`
     * says, leave less; the call waits for `ratelimit-reset` instead. Else `DOCR_QUOTA_RESERVE`, else 0.2.
     */
    quotaReserve?: number;
    /**
     * The most one call waits for quota, in ms: pacing at the reserve and 429s (`Retry-After`)
     * together; past it the call fails as `rate_limited`. Separate from `maxRetryTimeMs`, which
     * bounds retries of faults. Else `DOCR_MAX_QUOTA_WAIT_MS`, else 3 600 000 (the hour).
     */
    maxQuotaWaitMs?: number;
    /**
     * Receives what a user should see without debug logging: waits of 5 s or more for the API's
     * quota, e.g. "waiting 312 s for the API's hourly quota (ratelimit-reset)". Default: `logger` at
     * level `info`. The resources pass `pulumi.log.info`.
     */
    notice?: (message: string) => void;
    /** Process-wide requests in flight. Default 32. */
    maxConcurrentRequests?: number;
    /** Pages fetched at once by one listing (within the rate limit). Default 32: a 10,000-tag listing (50 pages) goes out in two waves. */
    pageConcurrency?: number;
    /**
     * A listing (every page of it) that is still running after this long fails, rather than follow a
     * server's `next` links for hours. Default 900 000 (15 minutes: 3,000 pages at 250 requests a minute).
     */
    maxListTimeMs?: number;
}

/** Every option's name: a misspelt one (`baseUrl`, say) would otherwise be ignored in silence. */
const OPTION_NAMES: readonly (keyof ClientOptions)[] = [
    "token",
    "apiUrl",
    "timeoutMs",
    "maxAttempts",
    "maxRetryTimeMs",
    "logger",
    "retryBaseDelayMs",
    "retryMaxDelayMs",
    "maxRequestsPerMinute",
    "maxConcurrentRequests",
    "pageConcurrency",
    "maxListTimeMs",
    "quotaReserve",
    "maxQuotaWaitMs",
    "notice",
];

/** Resolves options, environment and defaults; invalid values and unknown keys are `configuration` errors. */
export function resolveSettings(options: ClientOptions): ClientSettings {
    const unknown = Object.keys(options).filter((k) => !(OPTION_NAMES as readonly string[]).includes(k));
    if (unknown.length > 0) {
        // Never echo values: one of them may be a token.
        throw createDocrError({
            kind: "configuration",
            operation: "configuration",
            detail: `unknown DocrClient option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(", ")}; the options are ${OPTION_NAMES.join(", ")}`,
        });
    }
    const connection = resolveConnection({ token: options.token, apiUrl: options.apiUrl });
    const logger = options.logger;
    const log: Logger = (level, message) => {
        try {
            logger?.(level, message);
        } catch {
            // A failing logger must not fail the API call.
        }
    };
    const notice = options.notice;
    if (notice !== undefined && typeof notice !== "function") throw invalidOption("notice", typeof notice);
    const maxRequestsPerMinute = positive(
        "maxRequestsPerMinute",
        options.maxRequestsPerMinute ?? envNumber("DOCR_MAX_REQUESTS_PER_MINUTE", POSITIVE),
        DEFAULT_MAX_REQUESTS_PER_MINUTE,
    );
    return {
        connection,
        timeoutMs: positive("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS),
        retry: {
            maxAttempts: Math.floor(positive("maxAttempts", options.maxAttempts, DEFAULT_MAX_ATTEMPTS)),
            maxRetryTimeMs: nonNegative("maxRetryTimeMs", options.maxRetryTimeMs, DEFAULT_MAX_RETRY_TIME_MS),
            baseDelayMs: nonNegative(
                "retryBaseDelayMs",
                options.retryBaseDelayMs ?? envNumber("DOCR_RETRY_BASE_DELAY_MS", POSITIVE),
                DEFAULT_RETRY_BASE_DELAY_MS,
            ),
            maxDelayMs: nonNegative("retryMaxDelayMs", options.retryMaxDelayMs, DEFAULT_RETRY_MAX_DELAY_MS),
        },
        limiter: {
            maxRequestsPerMinute,
            maxConcurrentRequests: Math.floor(
                positive("maxConcurrentRequests", options.maxConcurrentRequests, DEFAULT_MAX_CONCURRENT_REQUESTS),
            ),
        },
        pageConcurrency: Math.floor(positive("pageConcurrency", options.pageConcurrency, DEFAULT_PAGE_CONCURRENCY)),
        maxListTimeMs: positive("maxListTimeMs", options.maxListTimeMs, DEFAULT_MAX_LIST_TIME_MS),
        clock: new ServerClock(),
        tracker: quotaTracker(connection),
        quota: {
            reserve: fraction(
                "quotaReserve",
                options.quotaReserve ?? envNumber("DOCR_QUOTA_RESERVE", QUOTA_SHARE),
                DEFAULT_QUOTA_RESERVE,
            ),
            maxWaitMs: nonNegative(
                "maxQuotaWaitMs",
                options.maxQuotaWaitMs ?? envNumber("DOCR_MAX_QUOTA_WAIT_MS", POSITIVE),
                DEFAULT_MAX_QUOTA_WAIT_MS,
            ),
            perMinuteLimit: maxRequestsPerMinute,
        },
        log,
        notice: (message) => {
            if (notice === undefined) return log("info", message);
            try {
                notice(message);
            } catch {
                // Same as the logger: reporting must not fail the call.
            }
        },
    };
}

/** What `quotaReserve` and `DOCR_QUOTA_RESERVE` allow. */
const QUOTA_SHARE: NumberRange = { min: 0, below: 1, says: "a share of the hourly quota from 0 to below 1 (e.g. 0.2)" };

function positive(option: string, value: number | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw invalidOption(option, value);
    return value;
}

function nonNegative(option: string, value: number | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw invalidOption(option, value);
    return value;
}

/** A share in [0, 1): a reserve of the whole quota would never let a request out. */
function fraction(option: string, value: number | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value >= 1) {
        throw createDocrError({
            kind: "configuration",
            operation: "configuration",
            detail: `invalid DocrClient option ${option}: ${String(value)} (a share of the hourly quota, from 0 to below 1, e.g. 0.2)`,
        });
    }
    return value;
}

function invalidOption(option: string, value: unknown) {
    return createDocrError({
        kind: "configuration",
        operation: "configuration",
        detail: `invalid DocrClient option ${option}: ${String(value)}`,
    });
}
