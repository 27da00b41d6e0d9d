/**
 * Building blocks shared by the response schemas. Every schema is built by a function, never at
 * module scope: a dynamic provider that reaches this module is serialized with it.
 */
import { z } from "zod";
import { processWide } from "../../process-wide";

/**
 * Builds a schema once per process (provider/process-wide.ts). zod compiles a fast parser the first time a schema
 * parses; building per call paid that compile on every request. Keyed by the builder's source
 * too, so two versions of the provider loaded in one host never share a schema.
 */
export function memoSchema<T>(name: string, build: () => T): T {
  return processWide<string, unknown>("schemas", `${name}:${build.toString()}`, build) as T;
}

/**
 * An optional field: absent or `null` both become `undefined`, so callers test one thing.
 * Lenient on presence, strict on type when present.
 */
export function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined).optional();
}

/** The API's error body `{ id, message, request_id }`, read leniently (proxies send other things). */
export function errorBodySchema() {
  return memoSchema("errorBodySchema", () => z.object({
    id: opt(z.string()),
    message: opt(z.string()),
    request_id: opt(z.string()),
  }));
}

/** `meta` and `links` of a paged list response. */
export function pageFields() {
  return {
    meta: opt(z.object({ total: z.number().int().nonnegative() })),
    links: opt(z.object({
      pages: opt(z.object({
        first: opt(z.string()),
        prev: opt(z.string()),
        next: opt(z.string()),
        last: opt(z.string()),
      })),
    })),
  };
}

/** The paging part of a list response, as parsed by {@link pageFields}. */
export type PageInfo = z.output<z.ZodObject<ReturnType<typeof pageFields>>>;
