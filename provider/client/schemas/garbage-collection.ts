/** Schemas of garbage collections. */
import { z } from "zod";
import { memoSchema, opt, pageFields } from "./common";

/** A garbage collection run. `status` is a string, not an enum: new stages must not break reads. */
export function garbageCollectionSchema() {
  return z.object({
    uuid: z.string().min(1),
    registry_name: opt(z.string()),
    status: z.string(),
    type: opt(z.string()),
    created_at: opt(z.string()),
    updated_at: opt(z.string()),
    blobs_deleted: opt(z.number()),
    freed_bytes: opt(z.number()),
  });
}
/** A garbage collection run (snake_case, as the API spells it). */
export type GarbageCollection = z.infer<ReturnType<typeof garbageCollectionSchema>>;

/** `{ garbage_collection }`: get active, start, cancel. */
export function garbageCollectionEnvelopeSchema() {
  return memoSchema("garbageCollectionEnvelopeSchema", () => z.object({ garbage_collection: garbageCollectionSchema() }));
}

/** One page of `{ garbage_collections, meta, links }`. */
export function garbageCollectionPageSchema() {
  return memoSchema("garbageCollectionPageSchema", () => z.object({ garbage_collections: z.array(garbageCollectionSchema()), ...pageFields() }));
}
