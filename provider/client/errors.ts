/**
 * Typed errors of the DOCR client: one class per kind (`instanceof NotFoundError` works), and
 * {@link errorKind} for code that may meet an error from another copy of this package, where
 * class identity differs but the marker property does not.
 */
import type { DocrErrorInit, DocrErrorKind } from "./error-types";
import { printable, redact, renderMessage } from "./messages";

export type { DocrErrorInit, DocrErrorKind } from "./error-types";
export { printable, redact } from "./messages";

// The fields are declared once, by the interface: the class takes them with Object.assign.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- fields of the init, see above
export interface DocrError extends Readonly<DocrErrorInit> {}

/**
 * Every error the client throws; `errorKind(err)` or `instanceof` the class of a kind.
 *
 * @example
 * ```ts
 * try { await client.getRegistry("acme"); }
 * catch (err) { if (errorKind(err) === "not_found") return undefined; throw err; }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class DocrError extends Error {
    /** Marker shared by every copy of this package; see {@link errorKind}. */
    declare readonly isDocrError: true;

    constructor(init: DocrErrorInit) {
        const message = renderMessage(init);
        super(message);
        Object.assign(this, init);
        // Set again, not left to super(): in a provider the host reloads from state, the serialized
        // class loses what super(message) set (see design.md), and the engine would show "undefined".
        this.message = message;
        this.name = new.target.name;
        this.isDocrError = true;
    }
}

/* One subclass per kind, for `catch (e) { if (e instanceof NotFoundError) … }`. */
/** 400 (or an argument rejected before sending). */
export class BadRequestError extends DocrError {}
/** 401: the token was rejected. */
export class UnauthorizedError extends DocrError {}
/** 403: the token lacks a scope. */
export class ForbiddenError extends DocrError {}
/** 404. */
export class NotFoundError extends DocrError {}
/** 409, e.g. a registry name that is taken. */
export class ConflictError extends DocrError {}
/** 412, e.g. a tier the account is not eligible for. */
export class PreconditionFailedError extends DocrError {}
/** 422. */
export class UnprocessableError extends DocrError {}
/** 429 after retries (or not retried). */
export class RateLimitedError extends DocrError {}
/** 5xx. */
export class ServerError extends DocrError {}
/** An HTTP(S) proxy from the environment refused the request (403/407 to CONNECT): the API never saw it. */
export class ProxyError extends DocrError {}
/** Connection refused/reset/dropped, DNS failure. */
export class NetworkError extends DocrError {}
/** No complete response within `timeoutMs`. */
export class TimeoutError extends DocrError {}
/** A body that is not JSON or does not match the schema. */
export class MalformedResponseError extends DocrError {}
/** Missing token, bad URL, invalid option. */
export class ConfigurationError extends DocrError {}

const classOfKind = {
    bad_request: BadRequestError,
    unauthorized: UnauthorizedError,
    forbidden: ForbiddenError,
    not_found: NotFoundError,
    conflict: ConflictError,
    precondition_failed: PreconditionFailedError,
    unprocessable: UnprocessableError,
    rate_limited: RateLimitedError,
    server_error: ServerError,
    proxy: ProxyError,
    network: NetworkError,
    timeout: TimeoutError,
    malformed_response: MalformedResponseError,
    configuration: ConfigurationError,
} satisfies Record<DocrErrorKind, typeof DocrError>;

/**
 * Builds the subclass for `init.kind`, every text field scrubbed of `secrets` and of control
 * characters. Use this rather than `new DocrError` wherever text may come from outside (API bodies,
 * sockets, names a user typed).
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
        if (value !== undefined) clean[key] = printable(redact(value, secrets));
    }
    return new classOfKind[clean.kind](clean);
}

/** The fields of `err`, to build a changed copy. */
export function docrErrorInit(err: DocrError): DocrErrorInit {
    const { isDocrError: _marker, message: _message, name: _name, stack: _stack, cause: _cause, ...init } = err;
    return init;
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

/**
 * `call`'s answer, or `value` when it fails with an error of `kind`: a 404 that means "none" or
 * "already done", a 409 that means "taken". Any other error is thrown.
 */
export async function unlessError<T, V>(kind: DocrErrorKind, value: V, call: () => Promise<T>): Promise<T | V> {
    try {
        return await call();
    } catch (err) {
        if (errorKind(err) === kind) return value;
        throw err;
    }
}

/** The message of anything thrown: an Error's (or any object's) `message`, else the value as text. */
export function messageOf(err: unknown): string {
    return err instanceof Object && "message" in err ? String((err as { message: unknown }).message) : String(err);
}
