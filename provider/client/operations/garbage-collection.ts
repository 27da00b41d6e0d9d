/** Garbage collections of a registry. */
import { unlessError } from "../errors";
import { callJson } from "../http";
import type { ClientSettings } from "../settings";
import { paginateByPage, PER_PAGE } from "../pagination";
import { garbageCollectionEnvelopeSchema, garbageCollectionPageSchema } from "../schemas/garbage-collection";
import type { GarbageCollection, StartGarbageCollectionOptions } from "../types";
import { aboutAsked } from "./answered";
import { fetchPage, listOptions } from "./page";

const GC = "/v2/registries/{registry_name}/garbage-collection";

export async function getActiveGarbageCollection(
    s: ClientSettings,
    name: string,
): Promise<GarbageCollection | undefined> {
    // The API answers 404 when no collection is running.
    return unlessError("not_found", undefined, async () => {
        const body = await callJson(
            s,
            {
                operation: "registries_get_garbageCollection",
                method: "GET",
                template: GC,
                params: { registry_name: name },
                subject: `garbage collection of registry "${name}"`,
            },
            garbageCollectionEnvelopeSchema,
        );
        return inAnswer(s, "registries_get_garbageCollection", name, body.garbage_collection);
    });
}

export async function startGarbageCollection(
    s: ClientSettings,
    name: string,
    opts: StartGarbageCollectionOptions = {},
): Promise<GarbageCollection> {
    const body = await callJson(
        s,
        {
            operation: "registries_run_garbageCollection",
            method: "POST",
            template: GC,
            idempotent: false,
            params: { registry_name: name },
            subject: `registry "${name}"`,
            body: opts.type === undefined ? undefined : { type: opts.type },
        },
        garbageCollectionEnvelopeSchema,
    );
    return inAnswer(s, "registries_run_garbageCollection", name, body.garbage_collection);
}

export async function cancelGarbageCollection(
    s: ClientSettings,
    name: string,
    uuid: string,
): Promise<GarbageCollection> {
    const body = await callJson(
        s,
        {
            operation: "registries_update_garbageCollection",
            method: "PUT",
            template: `${GC}/{garbage_collection_uuid}`,
            params: { registry_name: name, garbage_collection_uuid: uuid },
            subject: `garbage collection "${uuid}" of registry "${name}"`,
            body: { cancel: true },
        },
        garbageCollectionEnvelopeSchema,
    );
    return inAnswer(s, "registries_update_garbageCollection", name, body.garbage_collection);
}

export function listGarbageCollections(s: ClientSettings, name: string): AsyncIterable<GarbageCollection> {
    const operation = "registries_list_garbageCollections";
    return paginateByPage(
        (page) =>
            fetchPage(
                s,
                {
                    operation,
                    method: "GET",
                    template: "/v2/registries/{registry_name}/garbage-collections",
                    params: { registry_name: name },
                    subject: `registry "${name}"`,
                    query: { per_page: PER_PAGE, page },
                },
                garbageCollectionPageSchema,
                (b) => b.garbage_collections,
            ),
        listOptions(s, operation, (gc) => gc.uuid),
    );
}

function inAnswer(s: ClientSettings, operation: string, name: string, gc: GarbageCollection): GarbageCollection {
    return aboutAsked(s, operation, name, {
        name: gc.registry_name,
        fieldPath: "garbage_collection.registry_name",
        value: gc,
    });
}
