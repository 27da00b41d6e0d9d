import type { FaultInjector } from "./faults";
import type { Rng } from "./random";
import type { RateLimiter } from "./ratelimit";
import type { RequestLog } from "./requestlog";
import type { Store } from "./state";

/** What the API and admin handlers use of the emulator (server.ts's `EmulatorCore` is it). */
export interface Core {
    readonly token: string;
    readonly store: Store;
    readonly limiter: RateLimiter;
    readonly faults: FaultInjector;
    readonly log: RequestLog;
    /** Ids (request ids, GC uuids, credentials) come from here: deterministic with a seed. */
    rng: Rng;
    baseUrl: string;
    /** Restarts id generation (reset), keeping determinism for seeded emulators. */
    reseedIds(): void;
}
