/**
 * The shapes of the client's errors, apart from their classes: what both the classes (errors.ts) and
 * the text of their messages (messages.ts) build on, so neither imports the other.
 */

/** What went wrong, independent of class identity. */
export type DocrErrorKind =
    | "configuration"
    | "bad_request"
    | "unauthorized"
    | "forbidden"
    | "not_found"
    | "conflict"
    | "precondition_failed"
    | "unprocessable"
    | "rate_limited"
    | "server_error"
    | "proxy"
    | "network"
    | "timeout"
    | "malformed_response";

/** Fields of a {@link DocrError}; the message is rendered from them. */
export interface DocrErrorInit {
    kind: DocrErrorKind;
    /** OpenAPI operationId, e.g. `registries_get` (or `configuration` before any call). */
    operation: string;
    /** What the call was about, e.g. `registry "acme"`; used in the message. */
    subject?: string;
    status?: number;
    /** The API's error `id`, e.g. `not_found`. */
    apiId?: string;
    /** The API's error `message`. */
    apiMessage?: string;
    requestId?: string;
    /** System error code of a transport failure, e.g. `ECONNRESET`. */
    code?: string;
    /** Requests made, counting retries. */
    attempts?: number;
    /** Server-requested wait before retrying (Retry-After / ratelimit-reset), in ms. */
    retryAfterMs?: number;
    /** Dotted path of the offending field of a malformed response, e.g. `registry.name`. */
    fieldPath?: string;
    /** Free text for cases without an API error body (transport, validation, configuration). */
    detail?: string;
    /** Appended to the message: why retrying stopped or did not happen. */
    retryNote?: string;
    /** Appended to the message last: what the caller knows of where to fix it (e.g. a config key). */
    hint?: string;
    /**
     * When the call's first attempt went out (local clock, epoch ms). With `DocrClient.serverTimeAt`,
     * what a create whose outcome is unknown compares a found resource's `created_at` with.
     */
    sentAt?: number;
}
