import { badRequest, unprocessable } from "./errors";

/** Page size bounds and default from the OpenAPI `per_page` parameter. */
export const PER_PAGE_DEFAULT = 20;
/** Largest accepted `per_page`. */
export const PER_PAGE_MAX = 200;

/** A resolved page request. */
export interface PageRequest {
    perPage: number;
    offset: number;
    /** True when the request carried a `page_token` (repositoriesV2 only). */
    viaToken: boolean;
}

function positiveInt(query: URLSearchParams, name: string, fallback: number, max?: number): number {
    const raw = query.get(name);
    if (raw === null || raw === "") return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < 1 || (max !== undefined && n > max)) {
        const range = max === undefined ? ">= 1" : `between 1 and ${max}`;
        throw unprocessable(`${name} must be an integer ${range}, got "${raw}"`);
    }
    return n;
}

/** Opaque token for an offset; base64url JSON so it looks like the API's tokens. */
export function encodePageToken(offset: number): string {
    return Buffer.from(JSON.stringify({ offset }), "utf8").toString("base64url");
}

function decodePageToken(token: string): number {
    try {
        const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
        if (typeof parsed === "object" && parsed !== null) {
            const offset = (parsed as { offset?: unknown }).offset;
            if (typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0) return offset;
        }
    } catch {
        // Fall through: any undecodable token is the caller's mistake.
    }
    throw badRequest("invalid page_token");
}

/** Reads `page`/`per_page` (and `page_token` when allowed, which then wins over `page`). */
export function parsePaging(query: URLSearchParams, allowToken: boolean): PageRequest {
    const perPage = positiveInt(query, "per_page", PER_PAGE_DEFAULT, PER_PAGE_MAX);
    const page = positiveInt(query, "page", 1);
    const token = allowToken ? query.get("page_token") : null;
    if (token) return { perPage, offset: decodePageToken(token), viaToken: true };
    return { perPage, offset: (page - 1) * perPage, viaToken: false };
}

/** A page of items plus the `links` and `meta` members of the response. */
export interface Page<T> {
    items: T[];
    links: { pages: Record<string, string> };
    meta: { total: number };
}

/**
 * Slices `all` and builds absolute `first/prev/next/last` links on the emulator's own base URL,
 * keeping the raw (still encoded) path so repository names with `/` survive.
 */
export function paginate<T>(all: readonly T[], req: PageRequest, baseUrl: string, rawPath: string): Page<T> {
    const total = all.length;
    const { perPage, offset, viaToken } = req;
    const current = Math.floor(offset / perPage) + 1;
    const lastPage = Math.max(1, Math.ceil(total / perPage));
    const link = (page: number, tokenOffset?: number): string => {
        const q = tokenOffset === undefined ? "" : `&page_token=${encodePageToken(tokenOffset)}`;
        return `${baseUrl}${rawPath}?page=${page}${q}&per_page=${perPage}`;
    };
    const pages: Record<string, string> = {};
    if (offset > 0) {
        pages.first = link(1);
        pages.prev = viaToken ? link(Math.max(1, current - 1), Math.max(0, offset - perPage)) : link(current - 1);
    }
    if (offset + perPage < total) {
        pages.next = viaToken ? link(current + 1, offset + perPage) : link(current + 1);
        pages.last = link(lastPage);
    }
    return { items: all.slice(offset, offset + perPage), links: { pages }, meta: { total } };
}

/** Like `paginate`, but `next`/`prev` always carry a `page_token` (repositoriesV2). */
export function paginateWithTokens<T>(all: readonly T[], req: PageRequest, baseUrl: string, rawPath: string): Page<T> {
    return paginate(all, { ...req, viaToken: true }, baseUrl, rawPath);
}
