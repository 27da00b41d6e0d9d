/** Schemas of garbage collections. */
import { z } from "zod";
import type { GarbageCollection } from "../types";
import { opt, pageOf } from "./common";

/** A garbage collection run. `status` is a string, not an enum: new stages must not break reads. */
export const garbageCollectionSchema = z.object({
    uuid: z.string().min(1),
    registry_name: opt(z.string()),
    status: z.string(),
    type: opt(z.string()),
    created_at: opt(z.string()),
    updated_at: opt(z.string()),
    blobs_deleted: opt(z.number()),
    freed_bytes: opt(z.number()),
}) satisfies z.ZodType<GarbageCollection>;

/** `{ garbage_collection }`: get active, start, cancel. */
export const garbageCollectionEnvelopeSchema = z.object({ garbage_collection: garbageCollectionSchema });

/** One page of `{ garbage_collections, meta, links }`. */
export const garbageCollectionPageSchema = pageOf("garbage_collections", garbageCollectionSchema);
