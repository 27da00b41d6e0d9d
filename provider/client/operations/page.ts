/** One page of a list call, normalized for pagination.ts. */
import type { z } from "zod";
import { Call, callJson, ClientSettings } from "../http";
import type { Page } from "../pagination";
import type { PageInfo } from "../schemas/common";

/** Fetches one page and picks its items out of the body (`tags`, `manifests`, …; absent = none). */
export async function fetchPage<B extends PageInfo, T>(
  s: ClientSettings, call: Call, schema: z.ZodType<B>, items: (body: B) => T[] | undefined,
): Promise<Page<T>> {
  const body = await callJson(s, call, schema);
  return { items: items(body) ?? [], info: { meta: body.meta, links: body.links } };
}
