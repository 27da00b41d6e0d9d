/**
 * The request core: one call = path expansion, then attempts (each through the shared limiter,
 * each with its own timeout: node:http(s) directly, axios through a proxy), error mapping and body validation.
 */
import axios, { type AxiosInstance } from "axios";
import type { z } from "zod";
import { isLoopbackHost } from "./connection";
import { createDocrError, type DocrError, docrErrorInit, isDocrError, messageOf } from "./errors";
import { limited } from "./limiter";
import { expandPath, type PathParams, withQuery } from "./paths";
import { redact } from "./messages";
import { admit } from "./quota";
import { errorFromResponse, parseBody, type ResponseContext } from "./responses";
import { withRetries } from "./retry";
import type { ClientSettings } from "./settings";
import { type Answer, BodyTooLargeError, exchange } from "./transport";

// proxy-from-env 2.1.0 (what axios itself asks) ships no types: the one function we use, typed here,
// rather than an ambient module declaration that programs compiling these sources would not see.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/unbound-method -- untyped, see above
const { getProxyForUrl } = require("proxy-from-env") as { getProxyForUrl(url: string): string };

export type { ClientSettings } from "./settings";

/**
 * The most a response body may decode to. A page of 200 items is tens of kilobytes; past this the
 * body is not an answer but a fault (or a gzip bomb), and reading on would exhaust the host's memory.
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** HTTP methods the API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** One API operation. */
export interface Call {
    /** OpenAPI operationId. */
    operation: string;
    method: HttpMethod;
    /** OpenAPI path template, e.g. `/v2/registries/{registry_name}`. */
    template: string;
    params?: PathParams;
    query?: Readonly<Record<string, string | number | boolean | undefined>>;
    body?: unknown;
    /** For messages, e.g. `registry "acme"`. */
    subject?: string;
    /** Safe to repeat. Defaults to true except for POST. */
    idempotent?: boolean;
}

/** Performs `call` and validates the JSON body with `schema`. */
export async function callJson<S extends z.ZodType>(
    settings: ClientSettings,
    call: Call,
    schema: S,
): Promise<z.output<S>> {
    return execute(settings, call, (res) => parseBody(call, res, schema, [settings.connection.token]));
}

/** Performs `call`, expecting no body (204). Returns the status. */
export async function callNoContent(settings: ClientSettings, call: Call): Promise<number> {
    return execute(settings, call, (res) => res.status);
}

async function execute<T>(settings: ClientSettings, call: Call, handle: (res: Answer) => T): Promise<T> {
    const path = withQuery(expandPath(call.operation, call.template, call.params), call.query);
    const url = `${settings.connection.apiUrl}${path}`;
    const idempotent = call.idempotent ?? call.method !== "POST";
    const sent: { first?: number } = {};
    const tracker = settings.tracker;
    const waits = { waitedMs: 0 };
    // Which window a 429 came from: the headers describe the hour, so a refusal with some of the
    // hour left was the minute's.
    let lastRemaining: string | undefined;
    const quota = {
        settings: settings.quota,
        waits,
        window: () => (lastRemaining === "0" ? "hourly quota" : "per-minute limit"),
        notice: settings.notice,
    };
    const report = { notice: settings.notice, debug: (message: string) => settings.log("debug", message) };
    const retryCtx = {
        operation: call.operation,
        idempotent,
        policy: settings.retry,
        log: settings.log,
        firstSentAt: () => sent.first,
        quota,
    };
    try {
        return await withRetries(retryCtx, async (attempt) => {
            const seq = await admit(tracker, settings.quota, waits, call.operation, report);
            let started = Date.now();
            let res: Answer;
            try {
                res = await limited(settings.limiter, () => {
                    started = Date.now();
                    sent.first ??= started;
                    return sendOnce(settings, call, url);
                });
                const receivedAt = Date.now();
                settings.clock.observe(res.headers.date, receivedAt);
                tracker.observe(seq, res.headers, receivedAt, settings.clock);
                lastRemaining = res.headers["ratelimit-remaining"];
            } finally {
                tracker.ended();
            }
            settings.log(
                "debug",
                `${call.method} ${path} -> ${res.status} in ${Date.now() - started} ms (attempt ${attempt})`,
            );
            try {
                if (res.status < 200 || res.status > 299)
                    throw errorFromResponse(call, res, responseContext(settings, url));
                return handle(res);
            } catch (err) {
                if (isDocrError(err)) throw err;
                // Whatever the answer's shape made reading it throw (a RangeError, say) is still an answer
                // that could not be read: typed, so that a create runs its lost-response path.
                throw createDocrError(
                    {
                        kind: "malformed_response",
                        operation: call.operation,
                        subject: call.subject,
                        status: res.status,
                        detail: `the answer could not be read: ${messageOf(err)}`,
                    },
                    [settings.connection.token],
                );
            }
        });
    } catch (err) {
        // When the call first went out: what a create whose outcome is unknown compares `created_at` with.
        if (isDocrError(err) && sent.first !== undefined)
            throw createDocrError({ ...docrErrorInit(err), sentAt: sent.first });
        throw err;
    }
}

/** What reading an error response needs: the secrets to scrub, and the proxy from the environment, if one stands in the way. */
function responseContext(settings: ClientSettings, url: string): ResponseContext {
    const secrets = [settings.connection.token];
    // Loopback traffic never goes through a proxy (see sendOnce).
    if (isLoopbackHost(new URL(url).hostname)) return { secrets };
    const proxy = getProxyForUrl(url);
    if (!proxy) return { secrets };
    try {
        return { secrets, proxy: new URL(proxy).host };
    } catch {
        return { secrets, proxy: "(unparsable proxy URL)" };
    }
}

async function sendOnce(settings: ClientSettings, call: Call, url: string): Promise<Answer> {
    const { token } = settings.connection;
    const host = new URL(url).hostname;
    // Our own timer rather than axios' `timeout`, which is a socket idle timeout in Node: a server
    // trickling bytes would never trip it. This bounds the whole exchange, body included.
    const controller = new AbortController();
    const timeout = { fired: false };
    const timer = setTimeout(() => {
        timeout.fired = true;
        controller.abort();
    }, settings.timeoutMs);
    try {
        const headers: Record<string, string> = {
            Authorization: `Bearer ${token}`,
            Accept: "application/json",
            "User-Agent": "pulumi-docr",
        };
        if (call.body !== undefined) headers["Content-Type"] = "application/json";
        const data = call.body === undefined ? undefined : JSON.stringify(call.body);
        // Loopback traffic never goes through a proxy; only a proxy needs axios.
        if (isLoopbackHost(host) || !getProxyForUrl(url)) {
            return await exchange({
                method: call.method,
                url,
                headers,
                body: data,
                signal: controller.signal,
                maxBytes: MAX_RESPONSE_BYTES,
            });
        }
        const response = await proxied.request<string>({
            method: call.method,
            url,
            headers,
            data,
            signal: controller.signal,
        });
        return {
            status: response.status,
            headers: flattenHeaders(response.headers),
            text: typeof response.data === "string" ? response.data : "",
        };
    } catch (err) {
        // Never attach `err`: axios errors carry the request config, Authorization header included.
        throw transportError(settings, call, err, timeout.fired, host);
    } finally {
        clearTimeout(timer);
    }
}

/**
 * The axios instance for requests through an HTTP(S)_PROXY from the environment (axios reads it
 * and tunnels), made when the module loads: creating one per request cost more than a tenth of a
 * millisecond each time. It holds no token: headers are given per request.
 */
const proxied: AxiosInstance = axios.create({
    maxRedirects: 0, // a redirect could carry the token to another host
    validateStatus: () => true,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    // Counted after decompression, so a gzip bomb stops here too.
    maxContentLength: MAX_RESPONSE_BYTES,
});

function transportError(
    settings: ClientSettings,
    call: Call,
    err: unknown,
    timedOut: boolean,
    host: string,
): DocrError {
    const secrets = [settings.connection.token];
    const code = errorCode(err);
    const base = { operation: call.operation, subject: call.subject, code };
    if (timedOut || code === "ETIMEDOUT") {
        return createDocrError(
            { ...base, kind: "timeout", detail: `no complete response from ${host} within ${settings.timeoutMs} ms` },
            secrets,
        );
    }
    const reason = err instanceof Error && err.message ? err.message : "connection failed";
    if (err instanceof BodyTooLargeError || reason.startsWith("maxContentLength size of")) {
        return createDocrError(
            {
                ...base,
                code: undefined,
                kind: "malformed_response",
                detail: `the response body from ${host} exceeds ${MAX_RESPONSE_BYTES} bytes decoded; stopped reading it`,
            },
            secrets,
        );
    }
    // Redacted before it is cut: a cut through an echoed token would leave part of it.
    return createDocrError(
        {
            ...base,
            kind: "network",
            detail: `network error talking to ${host}: ${redact(reason, secrets).slice(0, 200)}`,
        },
        secrets,
    );
}

function errorCode(err: unknown): string | undefined {
    const own = (err as { code?: unknown } | null)?.code;
    // Our own abort (the timeout) is not the network's doing: axios calls it ERR_CANCELED, node ABORT_ERR.
    if (typeof own === "string" && own !== "ERR_CANCELED" && own !== "ABORT_ERR") return own;
    const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
    return typeof cause === "string" ? cause : undefined;
}

function flattenHeaders(headers: object): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(headers)) {
        if (value === undefined || value === null) continue;
        out[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    }
    return out;
}
