/** What every call of a client shares, resolved once from its options (see options.ts). */
import type { ServerClock } from "./clock";
import type { ResolvedConnection } from "./connection";
import type { LimiterSettings } from "./limiter";
import type { QuotaSettings, QuotaTracker } from "./quota";
import type { Logger, RetryPolicy } from "./retry";

/** Everything a call needs besides its own description. Holds the token: never log or serialize it. */
export interface ClientSettings {
    connection: ResolvedConnection;
    timeoutMs: number;
    retry: RetryPolicy;
    limiter: LimiterSettings;
    /** Pages one listing fetches at once (the limiter still applies). */
    pageConcurrency: number;
    /** How long one listing may run, every page included. */
    maxListTimeMs: number;
    /** The server's clock, learned from every response's `Date`. */
    clock: ServerClock;
    /** The hourly-quota pacing: the reserve left for others, the most a call waits for quota. */
    quota: QuotaSettings;
    /** The connection's hourly-quota tracker, shared by every client of it in the process (quota.ts). */
    tracker: QuotaTracker;
    log: Logger;
    /** What a user should see without debug logging: long waits for quota. Never passed the token. */
    notice: (message: string) => void;
}
