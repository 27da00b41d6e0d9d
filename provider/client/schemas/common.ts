/**
 * Building blocks shared by the response schemas. Every schema is built by a function, never at
 * module scope: a dynamic provider that reaches this module is serialized with it.
 */
import { z } from "zod";

/**
 * Builds a schema once per process, kept on globalThis like the limiter (never in a module
 * variable, which serialization would capture). zod compiles a fast parser the first time a schema
 * parses; building per call paid that compile on every request. Keyed by the builder's source
 * too, so two versions of the provider loaded in one host never share a schema.
 */
export function memoSchema<T>(name: string, build: () => T): T {
  const holder = globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>;
  const key = Symbol.for("pulumi-docr.schemas");
  const store = (holder[key] ??= new Map<string, unknown>());
  const id = `${name}:${build.toString()}`;
  let schema = store.get(id) as T | undefined;
  if (schema === undefined) {
    schema = build();
    store.set(id, schema);
  }
  return schema;
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
