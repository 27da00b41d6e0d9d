import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { GarbageCollection as ApiRun } from "../client";
import { errorKind, printable, unlessError } from "../client/errors";
import { ConfiguredProvider, changedKeys, plain, URN_INPUT } from "./common";
import { journalStart, recoverInterruptedStart } from "../recovery/gc-start";
import type { OutputPlaceholders, OutputProperties } from "./outputs";
import { quoted, registryNameField } from "../shared/fields";
import { findRun, isFinalStatus, startOrJoin, waitForRun } from "./garbage-collection-run";
import { partialFailure } from "./retention/run";
import { DocrResource, urnInput } from "./resource";
import { validateInputs } from "./validate";

/** GC types the API accepts (`registry_run_gc.type`). */
export const GC_TYPES = [
    "untagged manifests only",
    "unreferenced blobs only",
    "untagged manifests and unreferenced blobs",
] as const;

/** The arguments of a {@link GarbageCollection}. */
export interface GarbageCollectionArgs {
    registryName: pulumi.Input<string>;
    /** Any change replaces the resource, which starts a new run. */
    triggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
    /** Wait until the run finishes (default true); else return once it started. */
    waitForCompletion?: pulumi.Input<boolean>;
    /** How long to wait (default 30; fractions allowed). */
    timeoutMinutes?: pulumi.Input<number>;
    /** What to collect; default: the API's default (`unreferenced blobs only`). */
    type?: pulumi.Input<(typeof GC_TYPES)[number]>;
}

/** The checked inputs of a {@link GarbageCollection}. */
export interface GarbageCollectionInputs {
    registryName: string;
    triggers?: Record<string, string | number | boolean>;
    waitForCompletion?: boolean;
    timeoutMinutes?: number;
    type?: (typeof GC_TYPES)[number];
    /** The resource's URN, set by the {@link GarbageCollection} class: what keys its start's journal. */
    [URN_INPUT]?: string;
}

const gcInputsSchema = z.strictObject({
    registryName: registryNameField(),
    triggers: z
        .record(
            z.string(),
            z.union([z.string(), z.number(), z.boolean()], { error: "must be a string, number or boolean" }),
            {
                error: "must be a map of strings, numbers or booleans",
            },
        )
        .optional(),
    waitForCompletion: z.boolean({ error: "must be true or false" }).optional(),
    timeoutMinutes: z
        .number({ error: "must be a number of minutes" })
        .positive({ error: "must be more than 0 minutes" })
        .optional(),
    type: z
        .enum(GC_TYPES, {
            error: (i) => `${quoted(i.input)} is not a garbage collection type; allowed: ${GC_TYPES.join(", ")}`,
        })
        .optional(),
}) satisfies z.ZodType<GarbageCollectionInputs>;

/** A run in state: the outputs of a {@link GarbageCollection}. */
export interface GarbageCollectionOutputs extends Omit<GarbageCollectionInputs, typeof URN_INPUT> {
    /** The run's id. */
    uuid: string;
    /** The run's last seen status (`succeeded`, `failed`, `cancelled`, or a stage while it runs). */
    status: string;
    /** Blobs the run deleted (so far, while it runs). */
    blobsDeleted: number;
    /** Bytes the run freed (so far, while it runs). */
    freedBytes: number;
    /** `true` when the run was already active (started elsewhere) and this resource joined it; deleting it then leaves the run alone. */
    joined: boolean;
    /** When the run was created (ISO 8601). */
    createdAt?: string;
    /** When the run last changed (ISO 8601). */
    updatedAt?: string;
}

/** A placeholder for each output, registered by the resource class under its arguments. */
const GARBAGE_COLLECTION_OUTPUTS = {
    registryName: undefined,
    triggers: undefined,
    waitForCompletion: undefined,
    timeoutMinutes: undefined,
    type: undefined,
    uuid: undefined,
    status: undefined,
    blobsDeleted: undefined,
    freedBytes: undefined,
    joined: undefined,
    createdAt: undefined,
    updatedAt: undefined,
} satisfies OutputPlaceholders<GarbageCollectionOutputs>;

const REPLACE_KEYS = ["registryName", "triggers", "type"] as const;

function runOutputs(inputs: GarbageCollectionInputs, run: ApiRun, joined: boolean): GarbageCollectionOutputs {
    return plain({
        ...inputs,
        uuid: run.uuid,
        status: run.status,
        blobsDeleted: run.blobs_deleted ?? 0,
        freedBytes: run.freed_bytes ?? 0,
        joined,
        createdAt: run.created_at ?? undefined,
        updatedAt: run.updated_at ?? undefined,
    });
}

/** The implementation of {@link GarbageCollection}, run by Pulumi's dynamic-provider host. */
export class GarbageCollectionProvider extends ConfiguredProvider<GarbageCollectionInputs, GarbageCollectionOutputs> {
    check(
        _olds: GarbageCollectionInputs,
        news: GarbageCollectionInputs,
    ): Promise<pulumi.dynamic.CheckResult<GarbageCollectionInputs>> {
        const { inputs, failures } = validateInputs(gcInputsSchema, news);
        return Promise.resolve({ inputs, failures });
    }

    diff(
        _id: string,
        olds: GarbageCollectionOutputs,
        news: GarbageCollectionInputs,
    ): Promise<pulumi.dynamic.DiffResult> {
        const replaces = changedKeys(olds, news, REPLACE_KEYS);
        const updates = changedKeys(olds, news, ["waitForCompletion", "timeoutMinutes"]);
        // Delete first: a still-active old run is cancelled, so the new resource starts its own run instead of joining it.
        return Promise.resolve({ changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: true });
    }

    async create(inputs: GarbageCollectionInputs): Promise<pulumi.dynamic.CreateResult<GarbageCollectionOutputs>> {
        const client = this.client();
        const urn = inputs[URN_INPUT];
        const interrupted =
            urn === undefined ? undefined : await recoverInterruptedStart(client, urn, inputs.registryName);
        if (interrupted) {
            await pulumi.log.info(
                printable(
                    `garbage collection: run ${interrupted.uuid} of registry "${inputs.registryName}" was started by an interrupted pulumi up of this stack; it is this resource's run`,
                ),
            );
            return { id: interrupted.uuid, outs: await this.settle(inputs, interrupted, false) };
        }
        const settled = urn === undefined ? undefined : journalStart(client, urn, inputs.registryName);
        const { run, joined } = await startOrJoin(client, inputs.registryName, inputs.type).finally(settled);
        if (joined)
            await pulumi.log.info(
                printable(`garbage collection: joined the active run ${run.uuid} of registry "${inputs.registryName}"`),
            );
        return { id: run.uuid, outs: await this.settle(inputs, run, joined) };
    }

    async read(
        id: string,
        props?: GarbageCollectionOutputs,
    ): Promise<pulumi.dynamic.ReadResult<GarbageCollectionOutputs>> {
        if (!props?.registryName) return { id, props };
        const registryName = props.registryName;
        // `null`: the registry is gone, and its runs with it.
        const run = await unlessError("not_found", null, () => findRun(this.client(), registryName, id));
        if (run === null) return { id: "" };
        // History may be trimmed: a run that happened stays in state as last seen.
        return { id, props: run ? runOutputs(props, run, props.joined) : props };
    }

    async update(
        id: string,
        olds: GarbageCollectionOutputs,
        news: GarbageCollectionInputs,
    ): Promise<pulumi.dynamic.UpdateResult<GarbageCollectionOutputs>> {
        if (isFinalStatus(olds.status) || news.waitForCompletion === false)
            return { outs: { ...olds, ...plain(news) } };
        const run = (await findRun(this.client(), olds.registryName, id)) ?? { uuid: id, status: olds.status };
        return { outs: await this.settle({ ...olds, ...plain(news) }, run, olds.joined) };
    }

    /**
     * Cancels the run when it is still active; a finished or vanished run needs nothing. A run this
     * resource joined was started by someone else (doctl, a RetentionPolicy): it is left running.
     */
    async delete(id: string, props: GarbageCollectionOutputs): Promise<void> {
        if (props.joined) return;
        const client = this.client();
        try {
            const active = await client.getActiveGarbageCollection(props.registryName);
            if (active?.uuid !== id) return;
            await client.cancelGarbageCollection(props.registryName, id);
            await pulumi.log.info(`garbage collection ${id} of registry "${props.registryName}": cancelled`);
        } catch (err) {
            const kind = errorKind(err);
            if (kind !== "not_found" && kind !== "conflict") throw err;
        }
    }

    /** Waits (when asked) and turns the run into outputs; a timeout or a failed run is a partial failure with the run in state. */
    private async settle(
        inputs: GarbageCollectionInputs,
        run: ApiRun,
        joined: boolean,
    ): Promise<GarbageCollectionOutputs> {
        if (inputs.waitForCompletion === false) return runOutputs(inputs, run, joined);
        const timeoutMs = (inputs.timeoutMinutes ?? 30) * 60_000;
        let final: ApiRun;
        try {
            final = await waitForRun(this.client(), inputs.registryName, run, {
                timeoutMs,
                // The run's id and status come from the API: written out, never raw.
                log: (m) => void pulumi.log.info(printable(m)),
            });
        } catch (err) {
            const last = (err as { lastRun?: ApiRun }).lastRun ?? run;
            throw partialFailure((err as Error).message, run.uuid, { ...runOutputs(inputs, last, joined) });
        }
        if (final.status !== "succeeded") {
            throw partialFailure(
                `garbage collection ${final.uuid} of registry "${inputs.registryName}" ended with status "${final.status}"`,
                final.uuid,
                { ...runOutputs(inputs, final, joined) },
            );
        }
        return runOutputs(inputs, final, joined);
    }
}

/** The outputs of a {@link GarbageCollection}, as properties (described in {@link GarbageCollectionOutputs}). */
export interface GarbageCollection extends OutputProperties<GarbageCollectionOutputs> {}

/**
 * A garbage collection run of a DigitalOcean container registry: frees the storage of deleted
 * images. Change `triggers` to run it again.
 *
 * ```ts
 * import { GarbageCollection } from "pulumi-docr";
 *
 * const gc = new GarbageCollection("weekly", {
 *     registryName: "acme",
 *     triggers: { week: "2025-W07" },
 *     timeoutMinutes: 60,
 * });
 * export const freed = gc.freedBytes;
 * ```
 *
 * Creating joins a run that is already active instead of failing; deleting cancels a run that is
 * still active; refresh updates its status.
 */
export class GarbageCollection extends DocrResource {
    constructor(name: string, args: GarbageCollectionArgs, opts?: pulumi.CustomResourceOptions) {
        const props = { ...GARBAGE_COLLECTION_OUTPUTS, ...args, ...urnInput("GarbageCollection", name, opts) };
        super("GarbageCollection", name, props, opts);
    }
}
