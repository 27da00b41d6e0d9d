import { badRequest, unprocessable } from "./errors";
import type { Rng } from "./random";
import type { Store } from "./state";

/** What a handler gets for one request. */
export interface RouteContext {
    store: Store;
    /** Request time (ms since epoch); use it instead of Date.now() so one request sees one instant. */
    now: number;
    /** Path parameters, already percent-decoded. */
    params: Record<string, string>;
    query: URLSearchParams;
    /** Raw request body text ("" when none). */
    rawBody: string;
    /** `http://127.0.0.1:<port>`, for absolute pagination links. */
    baseUrl: string;
    /** Request path as received (still percent-encoded). */
    rawPath: string;
    /** Seeded when the emulator has a seed: ids stay deterministic. */
    rng: Rng;
}

/** A handler's answer; `body` undefined means no body (204). */
export interface RouteResult {
    status: number;
    body?: unknown;
}

/** One API operation. */
export interface Route {
    method: "GET" | "POST" | "PUT" | "DELETE";
    /** Like `/v2/registries/:registry_name`; `:x` matches exactly one decoded segment. */
    path: string;
    /** The OpenAPI operationId, used by fault rules and the request log. */
    operationId: string;
    handler: (ctx: RouteContext) => RouteResult;
}

/** A matched route with its decoded parameters. */
export interface RouteMatch {
    route: Route;
    params: Record<string, string>;
}

/**
 * Splits the raw path on `/` before decoding, so `team%2Fapp` stays one segment.
 * Returns undefined for malformed percent-encoding.
 */
export function splitPath(rawPath: string): string[] | undefined {
    const trimmed = rawPath.length > 1 && rawPath.endsWith("/") ? rawPath.slice(0, -1) : rawPath;
    try {
        return trimmed
            .split("/")
            .slice(1)
            .map((s) => decodeURIComponent(s));
    } catch {
        return undefined;
    }
}

/** Finds the route for a method and decoded segments; literal segments win over parameters. */
export function matchRoute(routes: readonly Route[], method: string, segments: string[]): RouteMatch | undefined {
    let best: { match: RouteMatch; literals: number } | undefined;
    for (const route of routes) {
        if (route.method !== method) continue;
        const pattern = route.path.split("/").slice(1);
        if (pattern.length !== segments.length) continue;
        const params: Record<string, string> = {};
        let literals = 0;
        let ok = true;
        pattern.forEach((p, i) => {
            const seg = segments[i] ?? "";
            if (p.startsWith(":")) {
                if (seg === "") ok = false;
                params[p.slice(1)] = seg;
            } else if (p === seg) {
                literals += 1;
            } else {
                ok = false;
            }
        });
        if (ok && (!best || literals > best.literals)) best = { match: { route, params }, literals };
    }
    return best?.match;
}

/** Parses the body as a JSON object; empty body is `{}`; malformed JSON is a 400. */
export function jsonObject(ctx: RouteContext): Record<string, unknown> {
    if (ctx.rawBody.trim() === "") return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(ctx.rawBody);
    } catch {
        throw badRequest("error parsing request body: invalid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw unprocessable("request body must be a JSON object");
    }
    return parsed as Record<string, unknown>;
}

/** A path parameter (always present once a route matched). */
export function param(ctx: RouteContext, name: string): string {
    return ctx.params[name] ?? "";
}
