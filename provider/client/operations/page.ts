/** One page of a list call, normalized for pagination.ts, and the options every listing shares. */
import type { z } from "zod";
import { type Call, callJson } from "../http";
import type { ClientSettings } from "../settings";
import type { ListOptions, Page } from "../pagination";
import type { PageInfo } from "../types";

/** Fetches one page and picks its items out of the body (`tags`, `manifests`, …). */
export async function fetchPage<B extends PageInfo, T>(
    s: ClientSettings,
    call: Call,
    schema: z.ZodType<B>,
    items: (body: B) => T[],
): Promise<Page<T>> {
    const body = await callJson(s, call, schema);
    return { items: items(body), info: { meta: body.meta, links: body.links } };
}

/** A listing's options: `concurrency` defaults to the client's `pageConcurrency` (token pages pass 1). */
export function listOptions<T>(
    s: ClientSettings,
    operation: string,
    key: (item: T) => string,
    concurrency = s.pageConcurrency,
): ListOptions<T> {
    return { operation, key, concurrency, maxTimeMs: s.maxListTimeMs, log: s.log };
}
