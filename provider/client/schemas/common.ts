/** Building blocks shared by the response schemas (each schema is built once, at module scope). */
import { z } from "zod";
import type { PageInfo } from "../types";

/**
 * An optional field: absent or `null` both become `undefined`, so callers test one thing.
 * Lenient on presence, strict on type when present. The `null`s are dropped from the parsed body
 * before validation (`withoutNulls` in ../responses.ts) rather than by a transform per field,
 * which cost twice the JSON parse of a page of 200 tags.
 */
export function opt<T extends z.ZodType>(schema: T) {
    return schema.optional();
}

/** The API's error body `{ id, message, request_id }`, read leniently (proxies send other things). */
export const errorBodySchema = z.object({
    id: opt(z.string()),
    message: opt(z.string()),
    request_id: opt(z.string()),
});

/** `meta` and `links` of a paged list response. */
const pageFields = {
    meta: opt(z.object({ total: z.number().int().nonnegative() })),
    links: opt(
        z.object({
            pages: opt(
                z.object({
                    first: opt(z.string()),
                    prev: opt(z.string()),
                    next: opt(z.string()),
                    last: opt(z.string()),
                }),
            ),
        }),
    ),
};

/** One page of a listing: its items under `key` (`tags`, `garbage_collections`, …), with `meta` and `links`. */
export function pageOf<K extends string, T extends z.ZodType>(key: K, item: T) {
    // A computed key widens to `string`: the record type names it again.
    const items = { [key]: z.array(item) } as Record<K, z.ZodArray<T>>;
    return z.object({ ...items, ...pageFields });
}

// Checked here, not exported: callers name PageInfo from ../types.
z.object(pageFields) satisfies z.ZodType<PageInfo>;
