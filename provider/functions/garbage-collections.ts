import { z } from "zod";
import type { GarbageCollection } from "../client";
import { registryNameField } from "../resources/fields";
import { InvokeOptions, clientForInvoke, collect, liftToOutput, naming, parseArgs } from "./invoke";

/** A garbage-collection run, camel-cased. */
export interface GarbageCollectionInfo {
    uuid: string;
    status: string;
    createdAt?: string;
    updatedAt?: string;
    blobsDeleted?: number;
    freedBytes?: number;
}

/** The arguments of {@link getGarbageCollections}. */
export interface GetGarbageCollectionsArgs {
    registryName: string;
}

/** The result of {@link getGarbageCollections}. */
export interface GetGarbageCollectionsResult {
    registryName: string;
    /** The run in progress, if any. */
    active?: GarbageCollectionInfo;
    /** Every run, newest first. */
    runs: GarbageCollectionInfo[];
}

function garbageCollectionInfo(gc: GarbageCollection): GarbageCollectionInfo {
    return {
        uuid: gc.uuid,
        status: gc.status,
        ...(gc.created_at ? { createdAt: gc.created_at } : {}),
        ...(gc.updated_at ? { updatedAt: gc.updated_at } : {}),
        ...(gc.blobs_deleted !== undefined ? { blobsDeleted: gc.blobs_deleted } : {}),
        ...(gc.freed_bytes !== undefined ? { freedBytes: gc.freed_bytes } : {}),
    };
}

/**
 * The active and past garbage collections of a registry.
 *
 * ```ts
 * const gc = await getGarbageCollections({ registryName: "acme-prod" });
 * const freed = gc.runs.reduce((sum, run) => sum + (run.freedBytes ?? 0), 0);
 * ```
 */
export async function getGarbageCollections(args: GetGarbageCollectionsArgs, opts?: InvokeOptions): Promise<GetGarbageCollectionsResult> {
    const { registryName } = parseArgs("getGarbageCollections", z.strictObject({ registryName: registryNameField() }), args);
    const client = clientForInvoke(opts);
    const what = `registry "${registryName}"`;
    const [active, runs] = await Promise.all([
        naming("getGarbageCollections", what, () => client.getActiveGarbageCollection(registryName)),
        naming("getGarbageCollections", what, () => collect(client.listGarbageCollections(registryName))),
    ]);
    return {
        registryName,
        ...(active ? { active: garbageCollectionInfo(active) } : {}),
        runs: runs.map(garbageCollectionInfo),
    };
}

/**
 * {@link getGarbageCollections} with `Input` arguments.
 *
 * ```ts
 * export const lastFreed = getGarbageCollectionsOutput({ registryName: registry.name }).apply((gc) => gc.runs[0]?.freedBytes ?? 0);
 * ```
 */
export const getGarbageCollectionsOutput = liftToOutput(getGarbageCollections);
