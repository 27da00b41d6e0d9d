import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { GarbageCollection } from "../client";
import type { Connection } from "../client/connection";
import { collect } from "../client/pagination";
import { registryNameField } from "../shared/fields";
import { parseArgs } from "./args";
import { clientForInvoke, dataSourceCall, reportedInProgram } from "./invoke";

/** A garbage-collection run, camel-cased. */
export interface GarbageCollectionInfo {
    /** The run's id. */
    uuid: string;
    /** The run's status (`succeeded`, `failed`, `cancelled`, or a stage while it runs). */
    status: string;
    /** When the run was created (ISO 8601). */
    createdAt?: string;
    /** When the run last changed (ISO 8601). */
    updatedAt?: string;
    /** Blobs the run deleted. */
    blobsDeleted?: number;
    /** Bytes the run freed. */
    freedBytes?: number;
}

/** The arguments of {@link getGarbageCollections}. */
export interface GetGarbageCollectionsArgs {
    /** The registry whose runs to list. */
    registryName: string;
}

/** The arguments of {@link getGarbageCollectionsOutput}, each possibly an `Output`. */
export interface GetGarbageCollectionsOutputArgs {
    /** The registry whose runs to list. */
    registryName: pulumi.Input<string>;
}

const garbageCollectionsArgsSchema = z.strictObject({ registryName: registryNameField() });

/** The result of {@link getGarbageCollections}. */
export interface GetGarbageCollectionsResult {
    /** The registry listed. */
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
export async function getGarbageCollections(
    args: GetGarbageCollectionsArgs,
    connection?: Connection,
): Promise<GetGarbageCollectionsResult> {
    return reportedInProgram(async () => {
        const { registryName } = parseArgs("getGarbageCollections", garbageCollectionsArgsSchema, args);
        const client = clientForInvoke(connection);
        const what = `registry "${registryName}"`;
        const [active, runs] = await Promise.all([
            dataSourceCall("getGarbageCollections", what, () => client.getActiveGarbageCollection(registryName)),
            dataSourceCall("getGarbageCollections", what, () => collect(client.listGarbageCollections(registryName))),
        ]);
        return {
            registryName,
            ...(active ? { active: garbageCollectionInfo(active) } : {}),
            runs: runs.map(garbageCollectionInfo),
        };
    });
}

/**
 * {@link getGarbageCollections} with `Input` arguments.
 *
 * ```ts
 * export const lastFreed = getGarbageCollectionsOutput({ registryName: registry.name }).apply((gc) => gc.runs[0]?.freedBytes ?? 0);
 * ```
 */
export function getGarbageCollectionsOutput(
    args: GetGarbageCollectionsOutputArgs,
    connection?: Connection,
): pulumi.Output<GetGarbageCollectionsResult> {
    return pulumi.output(args).apply((resolved) => getGarbageCollections(resolved, connection));
}
