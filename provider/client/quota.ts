/**
 * The API's hourly quota (5,000 requests a token), as its `ratelimit-*` headers describe it, and
 * the pacing that keeps this process within its share of it.
 *
 * The quota belongs to the token, not to the process: other processes (stacks deployed in
 * parallel, the team's other automation) spend it too. So the state here is only ever what the
 * latest response said, less what this process sent since; and a process leaves a reserve (20% of
 * the hourly limit by default) that it never spends into, so that when several processes share a
 * token, they wait at the reserve instead of driving each other into 429s, and the rest of the
 * team still finds requests left.
 */
import { connectionKey, type ResolvedConnection } from "./connection";
import { processWide } from "./process-wide";
import type { ServerClock } from "./clock";

/** Share of the hourly limit a process leaves for the rest of the team, by default. */
export const DEFAULT_QUOTA_RESERVE = 0.2;
/** The longest a call waits for quota (pacing and 429s together), by default: the hour itself. */
export const DEFAULT_MAX_QUOTA_WAIT_MS = 3_600_000;
/** The API's window: what one answer says of the quota never reaches further than this. */
const QUOTA_WINDOW_MS = 3_600_000;
/** Waits at least this long are reported through the notice callback (the engine log). */
export const LONG_WAIT_MS = 5_000;
/**
 * After `ratelimit-reset` passes, a waiting process sends its probe at a random moment within this
 * spread: processes that waited for the same reset would otherwise all spend the slot that freed.
 */
const PROBE_SPREAD_MS = 1_000;
/** Share of the limit a process stops short of the reserve by. */
const CUSHION_SHARE = 0.01;
/** Close to the reserve (within this share of the limit), at most half of what is left above it is in flight. */
const NEAR_RESERVE_SHARE = 0.05;

/** The learned quota, read-only (`DocrClient.quota()`). */
export interface QuotaSnapshot {
    /** `ratelimit-limit`: requests per hour for the token; `undefined` before a response carried it. */
    limit: number | undefined;
    /** What is left of the hour as far as this process knows: the latest `ratelimit-remaining`, less the requests sent since. */
    remaining: number | undefined;
    /** When the oldest request of the hour expires (`ratelimit-reset`, local epoch ms). */
    resetAt: number | undefined;
    /** Requests this process leaves for the rest of the team: `ceil(quotaReserve × limit)`. */
    reserve: number | undefined;
    /** This process's own per-minute limit (`maxRequestsPerMinute`); the API sends no header for the minute. */
    perMinuteLimit: number;
}

/** Pacing settings of one client. */
export interface QuotaSettings {
    /** Share (0..1) of the hourly limit never spent into. */
    reserve: number;
    /** Most a call waits for quota in total: pacing waits and 429 waits. */
    maxWaitMs: number;
    /** The most the token's users together send in a minute, as far as this client knows (its `maxRequestsPerMinute`). */
    perMinuteLimit: number;
}

/** A call's quota waits so far, against `QuotaSettings.maxWaitMs`. */
export interface QuotaWaits {
    waitedMs: number;
}

/** What pacing reports to: `notice` for long waits, never passed the token. */
export interface QuotaReport {
    notice(message: string): void;
    debug(message: string): void;
}

/** What the process knows of one token's quota. Shared by every client of the process using that token. */
export class QuotaTracker {
    limit: number | undefined;
    remaining: number | undefined;
    resetAt: number | undefined;
    /** When `remaining` was last learned (local epoch ms). */
    learnedAt = 0;
    /** Requests sent and not answered yet: already taken off `remaining`. */
    inFlight = 0;
    /** A response has been seen; before that, one request at a time (the first learns the quota). */
    answered = false;
    /** The reset the last long-wait notice was about: one notice per wait, not one per waiting call. */
    noticedReset: number | undefined;
    /** A probe may go out although `remaining` is at the reserve: the reset passed, slots freed. */
    private probeAllowed = false;
    private wakers: (() => void)[] = [];

    /** Number of the latest request started, and of the one `remaining` was learned from. */
    private sent = 0;
    private learnedFrom = 0;

    /**
     * Learns from the headers of the response to request number `seq` (from `started()`), received
     * at local time `receivedAt`.
     */
    observe(seq: number, headers: Readonly<Record<string, string>>, receivedAt: number, clock: ServerClock): void {
        this.answered = true;
        const limit = integer(headers["ratelimit-limit"]);
        const remaining = integer(headers["ratelimit-remaining"]);
        if (limit !== undefined && limit > 0) this.limit = limit;
        // Others of this process in flight may not be counted in this figure yet: taking them off keeps
        // the estimate low rather than high.
        if (remaining === undefined) {
            // A response without the header (a proxy, a fake) says nothing is known: no pacing on old news.
            this.remaining = undefined;
        } else {
            const estimate = Math.max(0, remaining - Math.max(0, this.inFlight - 1));
            // Answers can overtake each other: one to an earlier request is older news, and may only
            // lower what a later one said.
            if (seq >= this.learnedFrom || this.remaining === undefined) {
                this.remaining = estimate;
                this.learnedFrom = seq;
                this.learnedAt = receivedAt;
            } else {
                this.remaining = Math.min(this.remaining, estimate);
            }
        }
        const reset = resetTime(headers["ratelimit-reset"], receivedAt, clock);
        if (reset !== undefined) this.resetAt = reset;
        this.probeAllowed = false;
    }

    /** A request of this process goes out; returns its number for `observe`. */
    started(): number {
        this.inFlight++;
        if (this.remaining !== undefined) this.remaining = Math.max(0, this.remaining - 1);
        return ++this.sent;
    }

    /** A request of this process ended, answered or not. */
    ended(): void {
        this.inFlight = Math.max(0, this.inFlight - 1);
        this.wake();
    }

    /** Requests the reserve keeps, once the limit is known. */
    reserveCount(share: number): number | undefined {
        return this.limit === undefined ? undefined : Math.ceil(share * this.limit);
    }

    /**
     * Whether a request may go out now. What is left above the reserve, less what other processes
     * may have spent since the news (at the per-minute rate), is the room: fewer requests than that
     * are in flight; close to the reserve, fewer than half. Several processes reading the same
     * `remaining` then still land at the reserve rather than below it.
     */
    mayStart(share: number, perMinuteLimit: number): boolean {
        if (!this.answered) return this.inFlight === 0;
        const reserve = this.reserveCount(share);
        if (reserve === undefined || this.remaining === undefined || this.limit === undefined) return true;
        if (reserve === 0) {
            // Nothing to keep for others: spend to the last request (the API's 429s say when to stop).
            if (this.remaining >= 1) return true;
        } else {
            // Processes acting on the same news at the same moment may together overshoot by a few: they
            // stop a cushion short of the reserve, so that the overshoot lands in it.
            const headroom = this.remaining - reserve - Math.ceil(CUSHION_SHARE * this.limit);
            if (this.mayStartAbove(headroom, perMinuteLimit)) return true;
        }
        if (this.probeAllowed && this.inFlight === 0) {
            this.probeAllowed = false;
            return true;
        }
        return false;
    }

    private mayStartAbove(headroom: number, perMinuteLimit: number): boolean {
        const limit = this.limit ?? 0;
        const near = Math.ceil(NEAR_RESERVE_SHARE * limit);
        // Since the news, other processes on the token may have spent up to the per-minute rate; the
        // cap keeps old news far above the reserve usable (one answer then says what is left).
        const othersMayHaveSpent = Math.min(
            near,
            Math.ceil((perMinuteLimit * Math.max(0, Date.now() - this.learnedAt)) / 60_000),
        );
        const room = headroom - othersMayHaveSpent;
        return room > near ? this.inFlight < room : this.inFlight * 2 < room;
    }

    /** Resolves when a response arrives (the quota may have changed) or after `ms`. */
    async until(ms: number): Promise<void> {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
            this.wakers.push(resolve);
            timer = setTimeout(resolve, Math.max(0, ms));
        });
        clearTimeout(timer);
    }

    /** Lets one request find out what the reset freed. */
    allowProbe(): void {
        this.probeAllowed = true;
        this.wake();
    }

    snapshot(share: number, perMinuteLimit: number): QuotaSnapshot {
        return {
            limit: this.limit,
            remaining: this.remaining,
            resetAt: this.resetAt,
            reserve: this.reserveCount(share),
            perMinuteLimit,
        };
    }

    private wake(): void {
        const wakers = this.wakers;
        this.wakers = [];
        for (const w of wakers) w();
    }
}

/** The tracker of this token at this API, shared by the process. Keyed by a hash: the token itself is never a key. */
export function quotaTracker(connection: ResolvedConnection): QuotaTracker {
    return processWide<string, QuotaTracker>("quota", connectionKey(connection), () => new QuotaTracker());
}

/**
 * Waits until the tracker lets a request of `operation` go out, then counts it as started (the
 * number returned goes to `observe`). A wait that would take the call past `maxWaitMs` is not
 * waited: the request goes out and the API's answer decides.
 */
export async function admit(
    tracker: QuotaTracker,
    settings: QuotaSettings,
    waits: QuotaWaits,
    operation: string,
    report: QuotaReport,
): Promise<number> {
    let noticed = false;
    const before = waits.waitedMs;
    while (!tracker.mayStart(settings.reserve, settings.perMinuteLimit)) {
        const now = Date.now();
        const resetAt = tracker.resetAt;
        // With requests of ours in flight, their answers say more than the clock: wait for one.
        const untilReset = resetAt !== undefined && resetAt > now ? resetAt - now : 0;
        const wait =
            tracker.inFlight > 0
                ? Math.min(untilReset || PROBE_SPREAD_MS, PROBE_SPREAD_MS)
                : untilReset + Math.floor(Math.random() * PROBE_SPREAD_MS);
        if (waits.waitedMs + wait > settings.maxWaitMs && tracker.inFlight === 0) {
            // Past the budget, the API is asked rather than the call refused on what an earlier answer
            // said: that answer may have been wrong (or hostile), and only a new one can say otherwise.
            // A 429 then ends the call with the API's own word, through the retry budget.
            report.debug(
                `${operation}: waiting ${Math.ceil(wait / 1000)} s more for the API's hourly quota (ratelimit-reset) ` +
                    `would exceed the ${settings.maxWaitMs} ms quota wait budget; asking the API`,
            );
            break;
        }
        if (!noticed && tracker.inFlight === 0 && wait >= LONG_WAIT_MS && tracker.noticedReset !== resetAt) {
            noticed = true;
            tracker.noticedReset = resetAt;
            report.notice(
                `waiting ${Math.round(wait / 1000)} s for the API's hourly quota (ratelimit-reset): ` +
                    `${tracker.remaining ?? "?"} of ${tracker.limit ?? "?"} requests left, ${tracker.reserveCount(settings.reserve) ?? "?"} kept for the rest of the team`,
            );
        }
        const started = Date.now();
        await tracker.until(wait);
        waits.waitedMs += Date.now() - started;
        if (tracker.inFlight === 0 && (tracker.resetAt === undefined || Date.now() >= tracker.resetAt))
            tracker.allowProbe();
    }
    if (waits.waitedMs > before)
        report.debug(`${operation}: waited ${waits.waitedMs - before} ms for the API's hourly quota`);
    return tracker.started();
}

function integer(value: string | undefined): number | undefined {
    if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
    return Number(value.trim());
}

/**
 * `ratelimit-reset` as local epoch ms. The API sends Unix epoch seconds by its own clock (turned
 * into ours with the `Date` headers, which never makes the wait shorter); small values are taken
 * as delta seconds, as some proxies send.
 */
function resetTime(value: string | undefined, receivedAt: number, clock: ServerClock): number | undefined {
    const seconds = integer(value);
    if (seconds === undefined) return undefined;
    const offset = (clock.serverTimeAt(receivedAt) ?? receivedAt) - receivedAt;
    const at = seconds < 1e9 ? receivedAt + seconds * 1000 : seconds * 1000 - offset;
    // The oldest request of the hour expires within the hour: a reset further out (or a `Date` far in
    // the past, which pushes it out) is not what the API can mean.
    return Math.min(at, receivedAt + QUOTA_WINDOW_MS);
}
