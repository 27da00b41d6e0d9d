/**
 * Creates whose outcome is unknown: the request went out, no usable answer came back, and the
 * server may have acted. Such a create looks for what it may have made, and takes it only if it
 * can be its own: made no earlier than the request went out, by the server's clock.
 */
import type { DocrClient } from "../client";
import { type DocrError, isDocrError } from "../client/errors";

/** A lost response, a 5xx or a garbled 2xx: the server may have done what was asked. */
export function isOutcomeUnknown(err: unknown): err is DocrError {
    if (!isDocrError(err)) return false;
    return (
        err.kind === "network" ||
        err.kind === "timeout" ||
        err.kind === "server_error" ||
        err.kind === "malformed_response"
    );
}

/**
 * Whether something the API says was created at `createdAt` can be the work of the request that
 * failed with `err`. Timestamps are compared by the second: the API's `created_at` and `Date`
 * header both have that resolution. No timestamp, or no `Date` header yet: it cannot be told, so no.
 */
export function createdByAttempt(client: DocrClient, err: DocrError, createdAt: string | undefined): boolean {
    return createdSince(createdAt, err.sentAt === undefined ? undefined : client.serverTimeAt(err.sentAt));
}

/**
 * Whether `createdAt` (the API's, ISO 8601) is no earlier than `since` (the API's clock, epoch ms),
 * by the second. Either unknown: it cannot be told, so no.
 */
export function createdSince(createdAt: string | null | undefined, since: number | undefined): boolean {
    const created = createdAt ? Date.parse(createdAt) : NaN;
    if (!Number.isFinite(created) || since === undefined) return false;
    return Math.floor(created / 1000) >= Math.floor(since / 1000);
}
