/**
 * Turning a response into a result or a typed error: status mapping, the API's error body,
 * Retry-After hints, and zod validation of success bodies.
 */
import { type z } from "zod";
import { createDocrError, type DocrError, type DocrErrorKind } from "./errors";
import { redact } from "./messages";
import { parseRateLimitReset, parseRetryAfter } from "./retry";
import { errorBodySchema } from "./schemas/common";
import type { Answer } from "./transport";

/** What the messages need to know about the call. */
export interface CallInfo {
    operation: string;
    subject?: string;
}

/** What {@link errorFromResponse} needs besides the response. */
export interface ResponseContext {
    /** Scrubbed from every text the server sent. */
    secrets: readonly string[];
    /** `host:port` of the HTTP(S) proxy the request went through, when the environment names one. */
    proxy?: string;
}

/** Longest API `message` and raw body excerpt kept in an error. */
const MAX_API_MESSAGE = 500;
const MAX_BODY_EXCERPT = 120;
/**
 * Of a body, the most read for an excerpt or an API message: redaction (which runs before the cut,
 * see below) then costs the same on an 8 MiB body as on a short one.
 */
const MAX_TEXT_SCANNED = 4096;

/** The typed error for a non-2xx response; text from the server is scrubbed of secrets before it is cut. */
export function errorFromResponse(call: CallInfo, res: Answer, ctx: ResponseContext): DocrError {
    const { secrets } = ctx;
    const parsed = errorBodySchema.safeParse(withoutNulls(tryJson(res.text)));
    const body = parsed.success ? parsed.data : {};
    // Redacted before it is cut: a cut through an echoed token would leave part of it.
    const apiMessage =
        body.message === undefined
            ? undefined
            : redact(body.message.slice(0, MAX_TEXT_SCANNED), secrets).slice(0, MAX_API_MESSAGE);
    const excerpt = redact(res.text.trim().slice(0, MAX_TEXT_SCANNED), secrets).slice(0, MAX_BODY_EXCERPT);
    const base = {
        operation: call.operation,
        subject: call.subject,
        status: res.status,
        requestId: body.request_id ?? res.headers["x-request-id"],
    };
    // The API always answers its errors with `{ id, message }`; a proxy's refusal (a CONNECT
    // answered 403 or 407 is replayed as the response) does not, and is no verdict on the token.
    if (ctx.proxy !== undefined && (res.status === 403 || res.status === 407) && body.id === undefined) {
        return createDocrError(
            {
                ...base,
                kind: "proxy",
                detail:
                    `the proxy ${ctx.proxy} (from HTTPS_PROXY / HTTP_PROXY) refused the request with HTTP ${res.status}` +
                    `${excerpt ? `: ${excerpt}` : ""}; the API did not see it (check the proxy's rules, or NO_PROXY)`,
            },
            secrets,
        );
    }
    let detail: string | undefined;
    if (!apiMessage) {
        detail =
            res.status >= 300 && res.status < 400
                ? `unexpected redirect (${res.status}); redirects are not followed, so the token stays on the configured host`
                : excerpt === ""
                  ? `HTTP ${res.status} with an empty body`
                  : `HTTP ${res.status}: ${excerpt}`;
    }
    return createDocrError(
        {
            ...base,
            kind: kindForStatus(res.status),
            apiId: body.id,
            apiMessage,
            detail,
            retryAfterMs:
                parseRetryAfter(res.headers["retry-after"]) ??
                (res.status === 429
                    ? parseRateLimitReset(res.headers["ratelimit-remaining"], res.headers["ratelimit-reset"])
                    : undefined),
        },
        secrets,
    );
}

/** Error kind for an HTTP status (non-2xx). */
export function kindForStatus(status: number): DocrErrorKind {
    switch (status) {
        case 400:
            return "bad_request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not_found";
        case 409:
            return "conflict";
        case 412:
            return "precondition_failed";
        case 422:
            return "unprocessable";
        case 429:
            return "rate_limited";
        default:
            return status >= 400 && status < 500 ? "bad_request" : "server_error";
    }
}

/** Parses and validates a 2xx JSON body; anything else is a `malformed_response` naming the field. */
export function parseBody<S extends z.ZodType>(
    call: CallInfo,
    res: Answer,
    schema: S,
    secrets: readonly string[],
): z.output<S> {
    const malformed = (detail: string, fieldPath?: string) =>
        createDocrError(
            {
                kind: "malformed_response",
                operation: call.operation,
                subject: call.subject,
                status: res.status,
                requestId: res.headers["x-request-id"],
                fieldPath,
                detail,
            },
            secrets,
        );
    if (res.text.trim() === "") throw malformed("empty body where JSON was expected");
    const json = tryJson(res.text);
    if (json === undefined) throw malformed("body is not valid JSON");
    const result = schema.safeParse(withoutNulls(json));
    if (!result.success) {
        const [first, ...rest] = result.error.issues;
        const fieldPath = formatPath(first?.path ?? []);
        throw malformed(
            `${first?.message ?? "invalid"}${rest.length > 0 ? ` (and ${rest.length} more issue${rest.length === 1 ? "" : "s"})` : ""}`,
            fieldPath,
        );
    }
    return result.data;
}

/** `registries[0].name`, `auths["registry.digitalocean.com"].auth`; the root is `(root)`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
    if (path.length === 0) return "(root)";
    return path
        .map((key, i) => {
            if (typeof key === "number") return `[${key}]`;
            const name = String(key);
            if (/^[A-Za-z_$][\w$]*$/.test(name)) return i === 0 ? name : `.${name}`;
            return `[${JSON.stringify(name)}]`;
        })
        .join("");
}

/**
 * Removes every object member whose value is `null`, in place (array elements stay): what `opt`
 * fields read as absent. A required field sent as `null` then fails as missing, naming the field.
 * A loop over a stack, not recursion: an answer nested ten thousand levels deep would overflow the call stack.
 */
export function withoutNulls(value: unknown): unknown {
    const pending: unknown[] = [value];
    while (pending.length > 0) {
        const next = pending.pop();
        if (Array.isArray(next)) {
            for (const item of next) if (item !== null && typeof item === "object") pending.push(item);
        } else if (next !== null && typeof next === "object") {
            const members = next as Record<string, unknown>;
            for (const key of Object.keys(members)) {
                const member = members[key];
                if (member === null) delete members[key];
                else if (typeof member === "object") pending.push(member);
            }
        }
    }
    return value;
}

function tryJson(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}
