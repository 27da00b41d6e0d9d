/**
 * Typed errors of the DOCR client.
 *
 * Everything here may be inlined into a Pulumi dynamic provider by closure serialization, which
 * rewrites `super(message)` and breaks `instanceof`. So constructors set `message` and `name`
 * themselves, and callers branch on {@link errorKind} (a marker property), never `instanceof`.
 */

/** What went wrong, independent of class identity (survives serialization). */
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
}

/**
 * Every error the client throws. Branch on `errorKind(err)` rather than `instanceof`.
 *
 * @example
 * ```ts
 * try { await client.getRegistry("acme"); }
 * catch (err) { if (errorKind(err) === "not_found") return undefined; throw err; }
 * ```
 */
export class DocrError extends Error {
  // `declare`: no class-field emission, everything is assigned in the constructor.
  /** Marker that survives closure serialization; see {@link errorKind}. */
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

  constructor(init: DocrErrorInit) {
    const message = renderMessage(init);
    super(message);
    // Set explicitly: serialized providers lose what super() sets (see design notes).
    this.message = message;
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
  }
}

/* One subclass per kind, for users who like `catch (e) { if (e instanceof NotFoundError) … }`
   in plain (non-serialized) code. Each only fixes `name`. */
/** 400 (or an argument rejected before sending). */
export class BadRequestError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "BadRequestError"; } }
/** 401: the token was rejected. */
export class UnauthorizedError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "UnauthorizedError"; } }
/** 403: the token lacks a scope. */
export class ForbiddenError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "ForbiddenError"; } }
/** 404. */
export class NotFoundError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "NotFoundError"; } }
/** 409, e.g. a registry name that is taken. */
export class ConflictError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "ConflictError"; } }
/** 412, e.g. a tier the account is not eligible for. */
export class PreconditionFailedError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "PreconditionFailedError"; } }
/** 422. */
export class UnprocessableError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "UnprocessableError"; } }
/** 429 after retries (or not retried). */
export class RateLimitedError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "RateLimitedError"; } }
/** 5xx. */
export class ServerError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "ServerError"; } }
/** Connection refused/reset/dropped, DNS failure. */
export class NetworkError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "NetworkError"; } }
/** No complete response within `timeoutMs`. */
export class TimeoutError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "TimeoutError"; } }
/** A body that is not JSON or does not match the schema. */
export class MalformedResponseError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "MalformedResponseError"; } }
/** Missing token, bad URL, invalid option. */
export class ConfigurationError extends DocrError { constructor(i: DocrErrorInit) { super(i); this.name = "ConfigurationError"; } }

/**
 * Builds the subclass for `init.kind`, with every text field scrubbed of `secrets`.
 * Use this rather than `new DocrError` wherever text may come from outside (API bodies, sockets).
 */
export function createDocrError(init: DocrErrorInit, secrets: readonly string[] = []): DocrError {
  const clean: DocrErrorInit = { ...init };
  for (const key of ["subject", "apiId", "apiMessage", "requestId", "code", "fieldPath", "detail", "retryNote"] as const) {
    const value = clean[key];
    if (value !== undefined) clean[key] = redact(value, secrets);
  }
  switch (clean.kind) {
    case "bad_request": return new BadRequestError(clean);
    case "unauthorized": return new UnauthorizedError(clean);
    case "forbidden": return new ForbiddenError(clean);
    case "not_found": return new NotFoundError(clean);
    case "conflict": return new ConflictError(clean);
    case "precondition_failed": return new PreconditionFailedError(clean);
    case "unprocessable": return new UnprocessableError(clean);
    case "rate_limited": return new RateLimitedError(clean);
    case "server_error": return new ServerError(clean);
    case "network": return new NetworkError(clean);
    case "timeout": return new TimeoutError(clean);
    case "malformed_response": return new MalformedResponseError(clean);
    case "configuration": return new ConfigurationError(clean);
  }
}

/** The fields of `err` (read one by one: it may be a serialized copy without methods). */
export function docrErrorInit(err: DocrError): DocrErrorInit {
  return {
    kind: err.kind, operation: err.operation, subject: err.subject, status: err.status, apiId: err.apiId,
    apiMessage: err.apiMessage, requestId: err.requestId, code: err.code, attempts: err.attempts,
    retryAfterMs: err.retryAfterMs, fieldPath: err.fieldPath, detail: err.detail, retryNote: err.retryNote,
  };
}

/** True for any DocrError, including one whose class identity was lost by serialization. */
export function isDocrError(err: unknown): err is DocrError {
  return typeof err === "object" && err !== null
    && (err as { isDocrError?: unknown }).isDocrError === true
    && typeof (err as { kind?: unknown }).kind === "string";
}

/** The kind of a DocrError (by marker property, not `instanceof`), else `undefined`. */
export function errorKind(err: unknown): DocrErrorKind | undefined {
  return isDocrError(err) ? err.kind : undefined;
}

/**
 * Removes secrets from text: the given values, and anything shaped like a bearer header or a
 * DigitalOcean token (defence in depth: an API or proxy may echo what it received).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 16) {
      out = out.split(secret).join("[REDACTED]");
    } else if (secret.length > 0) {
      // A short (test) token would also match inside ordinary words: replace whole words only.
      const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      out = out.replace(new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, "g"), "[REDACTED]");
    }
  }
  return out
    .replace(/(bearer\s+)[^\s"',;]+/gi, "$1[REDACTED]")
    .replace(/\bdo[opr]_v1_[A-Za-z0-9]+/g, "[REDACTED]");
}

function renderMessage(init: DocrErrorInit): string {
  const tags: string[] = [];
  if (init.status !== undefined) tags.push(init.apiId ? `${init.status} ${init.apiId}` : String(init.status));
  else if (init.code) tags.push(init.code);
  if (init.requestId) tags.push(`request ${init.requestId}`);
  let message = `${init.operation}: ${summary(init)}`;
  if (tags.length > 0) message += ` (${tags.join(", ")})`;
  if (init.retryNote) message += `; ${init.retryNote}`;
  return message;
}

function summary(init: DocrErrorInit): string {
  const subject = init.subject;
  const said = init.apiMessage ?? init.detail;
  switch (init.kind) {
    case "not_found":
      return `${subject ?? "resource"} not found`;
    case "unauthorized":
      return `the API rejected the token${said ? ` (${said})` : ""}; check the Pulumi config key `
        + "digitalocean:token or DIGITALOCEAN_TOKEN / DIGITALOCEAN_ACCESS_TOKEN";
    case "forbidden":
      return `the token is not allowed to do this${subject ? ` on ${subject}` : ""} (missing registry:* scope?)`
        + (said ? `: ${said}` : "");
    case "rate_limited":
      return `rate limited by the API${said ? `: ${said}` : ""}`;
    case "server_error":
      return `the API failed${subject ? ` on ${subject}` : ""}${said ? `: ${said}` : ""}`;
    case "malformed_response":
      return `malformed response${init.fieldPath ? ` at ${init.fieldPath}` : ""}${init.detail ? `: ${init.detail}` : ""}`;
    case "network":
    case "timeout":
    case "configuration":
      return said ?? init.kind;
    default:
      return `${subject ? `${subject}: ` : ""}${said ?? init.kind.replace(/_/g, " ")}`;
  }
}
