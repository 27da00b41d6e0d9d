/**
 * Typed errors of the DOCR client: one class per kind (`instanceof NotFoundError` works), and
 * {@link errorKind} for code that may meet an error from another copy of this package, where
 * class identity differs but the marker property does not.
 */
import { redact, renderMessage } from "./messages";

export { redact } from "./messages";

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

/**
 * Every error the client throws; `errorKind(err)` or `instanceof` the class of a kind.
 *
 * @example
 * ```ts
 * try { await client.getRegistry("acme"); }
 * catch (err) { if (errorKind(err) === "not_found") return undefined; throw err; }
 * ```
 */
export class DocrError extends Error {
    // `declare`: no class-field emission, everything is assigned in the constructor.
    /** Marker shared by every copy of this package; see {@link errorKind}. */
    declare readonly isDocrError: true;
    declare readonly kind: DocrErrorKind;
    declare readonly operation: string;
    declare readonly subject?: string;
    declare readonly status?: number;
    declare readonly apiId?: string;
    declare readonly apiMessage?: string;
    declare readonly requestId?: string;
    declare readonly code?: string;
    declare readonly attempts?: number;
    declare readonly retryAfterMs?: number;
    declare readonly fieldPath?: string;
    declare readonly detail?: string;
    declare readonly retryNote?: string;
    declare readonly hint?: string;
    declare readonly sentAt?: number;

    constructor(init: DocrErrorInit) {
        super(renderMessage(init));
        this.name = "DocrError";
        this.isDocrError = true;
        this.kind = init.kind;
        this.operation = init.operation;
        this.subject = init.subject;
        this.status = init.status;
        this.apiId = init.apiId;
        this.apiMessage = init.apiMessage;
        this.requestId = init.requestId;
        this.code = init.code;
        this.attempts = init.attempts;
        this.retryAfterMs = init.retryAfterMs;
        this.fieldPath = init.fieldPath;
        this.detail = init.detail;
        this.retryNote = init.retryNote;
        this.hint = init.hint;
        this.sentAt = init.sentAt;
    }
}

/* One subclass per kind, for `catch (e) { if (e instanceof NotFoundError) … }`. Each only fixes `name`. */
/** 400 (or an argument rejected before sending). */
export class BadRequestError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "BadRequestError";
    }
}
/** 401: the token was rejected. */
export class UnauthorizedError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "UnauthorizedError";
    }
}
/** 403: the token lacks a scope. */
export class ForbiddenError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "ForbiddenError";
    }
}
/** 404. */
export class NotFoundError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "NotFoundError";
    }
}
/** 409, e.g. a registry name that is taken. */
export class ConflictError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "ConflictError";
    }
}
/** 412, e.g. a tier the account is not eligible for. */
export class PreconditionFailedError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "PreconditionFailedError";
    }
}
/** 422. */
export class UnprocessableError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "UnprocessableError";
    }
}
/** 429 after retries (or not retried). */
export class RateLimitedError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "RateLimitedError";
    }
}
/** 5xx. */
export class ServerError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "ServerError";
    }
}
/** An HTTP(S) proxy from the environment refused the request (403/407 to CONNECT): the API never saw it. */
export class ProxyError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "ProxyError";
    }
}
/** Connection refused/reset/dropped, DNS failure. */
export class NetworkError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "NetworkError";
    }
}
/** No complete response within `timeoutMs`. */
export class TimeoutError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "TimeoutError";
    }
}
/** A body that is not JSON or does not match the schema. */
export class MalformedResponseError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "MalformedResponseError";
    }
}
/** Missing token, bad URL, invalid option. */
export class ConfigurationError extends DocrError {
    constructor(i: DocrErrorInit) {
        super(i);
        this.name = "ConfigurationError";
    }
}

/**
 * Builds the subclass for `init.kind`, with every text field scrubbed of `secrets`.
 * Use this rather than `new DocrError` wherever text may come from outside (API bodies, sockets).
 */
export function createDocrError(init: DocrErrorInit, secrets: readonly string[] = []): DocrError {
    const clean: DocrErrorInit = { ...init };
    for (const key of [
        "subject",
        "apiId",
        "apiMessage",
        "requestId",
        "code",
        "fieldPath",
        "detail",
        "retryNote",
        "hint",
    ] as const) {
        const value = clean[key];
        if (value !== undefined) clean[key] = redact(value, secrets);
    }
    switch (clean.kind) {
        case "bad_request":
            return new BadRequestError(clean);
        case "unauthorized":
            return new UnauthorizedError(clean);
        case "forbidden":
            return new ForbiddenError(clean);
        case "not_found":
            return new NotFoundError(clean);
        case "conflict":
            return new ConflictError(clean);
        case "precondition_failed":
            return new PreconditionFailedError(clean);
        case "unprocessable":
            return new UnprocessableError(clean);
        case "rate_limited":
            return new RateLimitedError(clean);
        case "server_error":
            return new ServerError(clean);
        case "proxy":
            return new ProxyError(clean);
        case "network":
            return new NetworkError(clean);
        case "timeout":
            return new TimeoutError(clean);
        case "malformed_response":
            return new MalformedResponseError(clean);
        case "configuration":
            return new ConfigurationError(clean);
    }
}

/** The fields of `err`, to build a changed copy. */
export function docrErrorInit(err: DocrError): DocrErrorInit {
    return {
        kind: err.kind,
        operation: err.operation,
        subject: err.subject,
        status: err.status,
        apiId: err.apiId,
        apiMessage: err.apiMessage,
        requestId: err.requestId,
        code: err.code,
        attempts: err.attempts,
        retryAfterMs: err.retryAfterMs,
        fieldPath: err.fieldPath,
        detail: err.detail,
        retryNote: err.retryNote,
        hint: err.hint,
        sentAt: err.sentAt,
    };
}

/** True for any DocrError, including one from another copy of this package. */
export function isDocrError(err: unknown): err is DocrError {
    return (
        typeof err === "object" &&
        err !== null &&
        (err as { isDocrError?: unknown }).isDocrError === true &&
        typeof (err as { kind?: unknown }).kind === "string"
    );
}

/** The kind of a DocrError (by marker property, so any copy of the package counts), else `undefined`. */
export function errorKind(err: unknown): DocrErrorKind | undefined {
    return isDocrError(err) ? err.kind : undefined;
}
