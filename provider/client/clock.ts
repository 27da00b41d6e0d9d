/**
 * The server's clock, as far as its `Date` headers tell: what "created during this attempt" is
 * judged by when a create's response was lost. Our own clock may be minutes off the server's;
 * a `Date` header is the server's word, at one-second resolution.
 */

/** A lower bound of the server's clock, learned from responses. */
export class ServerClock {
    /** Server time minus local time, at least: the latest sample (a server clock may be set back). */
    private offsetMs: number | undefined;

    /**
     * Learns from a response's `Date` header received at local time `receivedAt`. The server wrote
     * the header (rounded down to the second) before we received it, so `date - receivedAt` never
     * exceeds the true offset.
     */
    observe(dateHeader: string | undefined, receivedAt: number): void {
        if (!dateHeader) return;
        const date = Date.parse(dateHeader);
        if (Number.isFinite(date)) this.offsetMs = date - receivedAt;
    }

    /**
     * The earliest the server's clock can have read at local time `localMs`; `undefined` until a
     * response with a `Date` header has been seen.
     */
    serverTimeAt(localMs: number): number | undefined {
        return this.offsetMs === undefined ? undefined : localMs + this.offsetMs;
    }
}
