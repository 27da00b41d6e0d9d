/** Headers and verdict for one request. */
export interface RateDecision {
    allowed: boolean;
    headers: Record<string, string>;
    /** Seconds until the refusing window frees a slot (only when refused). */
    retryAfterSeconds?: number;
    /** Which window refused (only when refused); both refusing reports the longer wait. */
    refusedBy?: "minute" | "hour";
}

/** Limits and window lengths; a limit of 0 or Infinity disables that window. */
export interface RateSettings {
    perMinute: number;
    perHour: number;
    /** Length of the "minute" window; only tests shorten it. */
    minuteMs: number;
    /** Length of the "hour" window; only tests shorten it. */
    hourMs: number;
}

/** What the headers report when the hourly window is disabled: the API's documented hourly quota. */
const DISABLED_REPORTED_LIMIT = 5000;

/** One sliding window over admitted requests. */
class Window {
    private stamps: number[] = [];

    constructor(
        readonly limit: number,
        readonly ms: number,
    ) {}

    get enabled(): boolean {
        return Number.isFinite(this.limit) && this.limit > 0;
    }

    reset(): void {
        this.stamps = [];
    }

    full(now: number): boolean {
        this.prune(now);
        return this.enabled && this.stamps.length >= this.limit;
    }

    add(now: number): void {
        if (this.enabled) this.stamps.push(now);
    }

    remaining(now: number): number {
        this.prune(now);
        return Math.max(0, this.limit - this.stamps.length);
    }

    /** When the oldest admitted request leaves the window (epoch ms); `now + ms` when empty. */
    oldestExpiry(now: number): number {
        this.prune(now);
        return (this.stamps[0] ?? now) + this.ms;
    }

    private prune(now: number): void {
        while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - this.ms) this.stamps.shift();
    }
}

/**
 * The API's two limits per token: a sliding minute (250) and a sliding hour (5,000). The
 * `ratelimit-*` headers describe the hourly quota, as the API documents them: `remaining` is what
 * is left of the hour, `reset` when the oldest request of the hour expires. A request either
 * window refuses gets 429 with `Retry-After` from that window, and takes a slot in neither, so a
 * client that honours Retry-After gets through.
 */
export class RateLimiter {
    private readonly minute: Window;
    private readonly hour: Window;

    constructor(settings: RateSettings) {
        this.minute = new Window(settings.perMinute, settings.minuteMs);
        this.hour = new Window(settings.perHour, settings.hourMs);
    }

    /** Forgets all admitted requests. */
    reset(): void {
        this.minute.reset();
        this.hour.reset();
    }

    /** Admits or refuses a request arriving at `now`; only an admitted one takes a slot. */
    take(now: number): RateDecision {
        const minuteFull = this.minute.full(now);
        const hourFull = this.hour.full(now);
        if (!minuteFull && !hourFull) {
            this.minute.add(now);
            this.hour.add(now);
            return { allowed: true, headers: this.peek(now) };
        }
        const waits: { by: "minute" | "hour"; ms: number }[] = [];
        if (minuteFull) waits.push({ by: "minute", ms: this.minute.oldestExpiry(now) - now });
        if (hourFull) waits.push({ by: "hour", ms: this.hour.oldestExpiry(now) - now });
        const longest = waits.reduce((a, b) => (b.ms > a.ms ? b : a));
        const retryAfterSeconds = Math.max(1, Math.ceil(longest.ms / 1000));
        return {
            allowed: false,
            headers: { ...this.peek(now), "retry-after": String(retryAfterSeconds) },
            retryAfterSeconds,
            refusedBy: longest.by,
        };
    }

    /**
     * The `ratelimit-*` headers (the hourly quota) at `now`, without taking a slot: the API counts
     * per token, so a request that does not carry the token must not use up the token's windows.
     */
    peek(now: number): Record<string, string> {
        if (!this.hour.enabled) {
            return headers(DISABLED_REPORTED_LIMIT, DISABLED_REPORTED_LIMIT, Math.ceil((now + this.hour.ms) / 1000));
        }
        return headers(this.hour.limit, this.hour.remaining(now), Math.ceil(this.hour.oldestExpiry(now) / 1000));
    }
}

function headers(limit: number, remaining: number, reset: number): Record<string, string> {
    return {
        "ratelimit-limit": String(limit),
        "ratelimit-remaining": String(Math.max(0, remaining)),
        "ratelimit-reset": String(reset),
    };
}
