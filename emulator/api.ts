import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { ApiError, errorIdFor } from "./errors";
import { browserRefusal } from "./guard";
import { malformedMode, type FaultHit } from "./faults";
import { bodyForLog, send, sleep } from "./http";
import { uuid } from "./random";
import { matchRoute, splitPath, type RouteResult } from "./router";
import { API_ROUTES } from "./routes";
import type { Core } from "./core";
import { truncatedJson, wrongTypeBody } from "./malformed";

/** True when the Authorization header carries the emulator's token. */
export function tokenMatches(header: string | undefined, token: string): boolean {
    const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
    if (!m || !m[1]) return false;
    const a = Buffer.from(m[1].trim());
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
}

function errorResult(err: ApiError, requestId: string): HandlerResult {
    return {
        status: err.status,
        body: { id: err.id, message: err.message, request_id: requestId },
        headers: err.headers,
    };
}

/** Handles one `/v2` request: browser guard, auth, rate limit, routing, faults, handler, persistence, log. */
export async function handleApi(
    core: Core,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    readBody: () => Promise<string>,
): Promise<void> {
    const now = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const rawPath = url.pathname;
    const requestId = uuid(core.rng);
    const log = {
        time: new Date(now).toISOString(),
        method,
        path: rawPath,
        query: Object.fromEntries(url.searchParams),
        requestId,
    };
    let loggedBody: unknown = undefined;
    const segments = splitPath(rawPath);
    const match = segments ? matchRoute(API_ROUTES, method, segments) : undefined;
    const operationId = match?.route.operationId ?? "unknown";
    const uncountedHeaders = (): Record<string, string> => ({ ...core.limiter.peek(now), "x-request-id": requestId });
    let refusedBy: "minute" | "hour" | undefined;
    const finish = (status: number, body: unknown, headers: Record<string, string>, fault?: FaultHit): void => {
        send(res, status, body, headers);
        const left = headers["ratelimit-remaining"];
        core.log.add({
            ...log,
            ...(loggedBody !== undefined ? { body: loggedBody } : {}),
            status,
            operationId,
            ...(fault ? { fault: fault.record } : {}),
            ...(left !== undefined ? { rateRemaining: Number(left) } : {}),
            ...(refusedBy ? { refusedBy } : {}),
        });
    };

    // Refused before the limiter: only requests that carry the token use up the token's window.
    // Their bodies are never read (nor kept): the connection is closed instead.
    const refusal = browserRefusal(req.headers);
    const refused = { ...uncountedHeaders(), connection: "close" };
    if (refusal) return finish(403, { id: "forbidden", message: refusal, request_id: requestId }, refused);
    if (!tokenMatches(req.headers.authorization, core.token)) {
        return finish(
            401,
            { id: "unauthorized", message: "Unable to authenticate you.", request_id: requestId },
            refused,
        );
    }
    const rawBody = await readBody();
    loggedBody = bodyForLog(rawBody);
    const rate = core.limiter.take(now);
    const headers: Record<string, string> = { ...rate.headers, "x-request-id": requestId };
    if (!rate.allowed) {
        refusedBy = rate.refusedBy;
        return finish(
            429,
            { id: "too_many_requests", message: "API rate limit exceeded.", request_id: requestId },
            headers,
        );
    }
    if (!segments)
        return finish(
            400,
            { id: "bad_request", message: "malformed percent-encoding in path", request_id: requestId },
            headers,
        );
    if (!match)
        return finish(
            404,
            { id: "not_found", message: "The resource you requested could not be found.", request_id: requestId },
            headers,
        );

    const fault = core.faults.pick({ operationId, method, path: rawPath });
    const after = fault?.rule.afterHandling === true;

    // Status, body and drop faults replace the handling unless afterHandling; latency and malformed bodies
    // never stop the server from acting (a slow or garbled answer to a create still created).
    if (
        fault &&
        !after &&
        (fault.rule.dropConnection || fault.rule.status !== undefined || fault.rule.body !== undefined)
    ) {
        if (fault.rule.latencyMs) await sleep(fault.rule.latencyMs);
        return deliverFault(fault, { status: 500, headers: {} });
    }
    if (fault && !after && fault.rule.latencyMs) await sleep(fault.rule.latencyMs);
    const ctx = { params: match.params, query: url.searchParams, rawBody, rawPath, now: Date.now() };
    const result = runHandler(core, match.route.handler, ctx, requestId);
    if (!fault) return finish(result.status, result.body, { ...headers, ...result.headers });
    if (after && fault.rule.latencyMs) await sleep(fault.rule.latencyMs);
    return deliverFault(fault, result);

    function deliverFault(hit: FaultHit, result: HandlerResult): void {
        const rule = hit.rule;
        if (rule.dropConnection) {
            req.socket.destroy();
            core.log.add({ ...log, body: loggedBody, status: 0, operationId, fault: hit.record });
            return;
        }
        const h: Record<string, string> = { ...headers, ...result.headers };
        if (rule.retryAfterSeconds !== undefined) h["retry-after"] = String(rule.retryAfterSeconds);
        let status = result.status;
        let body = result.body;
        if (rule.body !== undefined) {
            status = rule.status ?? 200;
            body = rule.body;
        } else if (rule.status !== undefined) {
            status = rule.status;
            body = {
                id: errorIdFor(status),
                message: `injected fault (rule ${hit.record.rule})`,
                request_id: requestId,
            };
        }
        const mode = malformedMode(rule);
        if (mode) {
            // A 204 cannot carry a body, so a garbled empty answer becomes a 200 with junk.
            if (status === 204) status = 200;
            body = mode === "json" ? truncatedJson(body) : wrongTypeBody(body);
        }
        finish(status, body, h, hit);
    }
}

type HandlerResult = RouteResult & { headers: Record<string, string> };

function runHandler(
    core: Core,
    handler: (typeof API_ROUTES)[number]["handler"],
    ctx: { params: Record<string, string>; query: URLSearchParams; rawBody: string; rawPath: string; now: number },
    requestId: string,
): HandlerResult {
    core.store.settle(ctx.now);
    try {
        const r = handler({ ...ctx, store: core.store, baseUrl: core.baseUrl, rng: core.rng });
        core.store.flush();
        return { ...r, headers: {} };
    } catch (err) {
        core.store.flush();
        if (err instanceof ApiError) return errorResult(err, requestId);
        const message = err instanceof Error ? err.message : String(err);
        return errorResult(new ApiError(500, "server_error", `Unexpected server-side error: ${message}`), requestId);
    }
}
