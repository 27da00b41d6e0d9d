import type { FaultRecord } from "./faults";

/** One API request as the emulator saw it. Never holds the Authorization header or the token. */
export interface RequestRecord {
    time: string;
    method: string;
    /** Path as received (percent-encoding kept). */
    path: string;
    query: Record<string, string>;
    /** Status sent; 0 when the connection was dropped by a fault. */
    status: number;
    /** OpenAPI operationId, or `unknown` when no route matched. */
    operationId: string;
    requestId: string;
    /** Parsed JSON request body (raw text if not JSON); absent when empty. */
    body?: unknown;
    fault?: FaultRecord;
    /** `ratelimit-remaining` of the response: what was left of the token's hourly quota after this request. */
    rateRemaining?: number;
    /** Set on a 429 of the rate limiter: the window that refused (`minute` or `hour`). */
    refusedBy?: "minute" | "hour";
}

/** Bounded in-memory log (oldest entries go first past `max`). */
export class RequestLog {
    private records: RequestRecord[] = [];

    constructor(private readonly max = 50_000) {}

    /** Appends a record. */
    add(r: RequestRecord): void {
        this.records.push(r);
        if (this.records.length > this.max) this.records.splice(0, this.records.length - this.max);
    }

    /** A copy of all records, oldest first. */
    list(): RequestRecord[] {
        return this.records.map((r) => structuredClone(r));
    }

    /** Empties the log. */
    clear(): void {
        this.records = [];
    }
}
