import { conflict, notFound, unprocessable } from "../errors";
import { activeGc, gcProgress } from "../gc";
import { paginate, parsePaging } from "../pagination";
import { uuid } from "../random";
import { jsonObject, param, type Route } from "../router";
import type { GcState, GcType } from "../types";
import { gcView } from "../views";

const GC_TYPES: readonly GcType[] = [
    "untagged manifests only",
    "unreferenced blobs only",
    "untagged manifests and unreferenced blobs",
];
/** Like `doctl registry garbage-collection start` without `--include-untagged-manifests`. */
const DEFAULT_GC_TYPE: GcType = "unreferenced blobs only";

function parseType(value: unknown): GcType {
    if (value === undefined) return DEFAULT_GC_TYPE;
    const found = GC_TYPES.find((t) => t === value);
    if (!found) throw unprocessable(`type must be one of: ${GC_TYPES.join(", ")}`);
    return found;
}

/** Garbage-collection routes. */
export const gcRoutes: Route[] = [
    {
        method: "GET",
        path: "/v2/registries/:registry_name/garbage-collection",
        operationId: "registries_get_garbageCollection",
        handler: (ctx) => {
            const r = ctx.store.registry(param(ctx, "registry_name"));
            const gc = activeGc(r, ctx.now, ctx.store.stepMs);
            if (!gc) throw notFound(`no active garbage collection for registry "${r.name}"`);
            return { status: 200, body: { garbage_collection: gcView(r, gc, ctx.now, ctx.store.stepMs) } };
        },
    },
    {
        method: "POST",
        path: "/v2/registries/:registry_name/garbage-collection",
        operationId: "registries_run_garbageCollection",
        handler: (ctx) => {
            const r = ctx.store.registry(param(ctx, "registry_name"));
            const type = parseType(jsonObject(ctx).type);
            const running = activeGc(r, ctx.now, ctx.store.stepMs);
            if (running) throw conflict(`garbage collection ${running.uuid} is already active`);
            const gc: GcState = {
                uuid: uuid(ctx.rng),
                type,
                createdAt: new Date(ctx.now).toISOString(),
                blobsDeleted: 0,
                freedBytes: 0,
            };
            r.garbageCollections.push(gc);
            ctx.store.touch();
            return { status: 201, body: { garbage_collection: gcView(r, gc, ctx.now, ctx.store.stepMs) } };
        },
    },
    {
        method: "PUT",
        path: "/v2/registries/:registry_name/garbage-collection/:garbage_collection_uuid",
        operationId: "registries_update_garbageCollection",
        handler: (ctx) => {
            const r = ctx.store.registry(param(ctx, "registry_name"));
            const id = param(ctx, "garbage_collection_uuid");
            const gc = r.garbageCollections.find((g) => g.uuid === id);
            if (!gc) throw notFound(`garbage collection "${id}" not found`);
            if (jsonObject(ctx).cancel !== true) throw unprocessable('only {"cancel": true} is supported');
            const p = gcProgress(gc, ctx.now, ctx.store.stepMs);
            // A repeated cancel (e.g. a retry after a lost response) answers with the cancelled run.
            if (gc.finalStatus !== "cancelled") {
                if (!p.active) throw conflict(`garbage collection ${gc.uuid} is not active (status: ${p.status})`);
                gc.finalStatus = "cancelled";
                gc.finishedAt = new Date(ctx.now).toISOString();
                ctx.store.touch();
            }
            return { status: 200, body: { garbage_collection: gcView(r, gc, ctx.now, ctx.store.stepMs) } };
        },
    },
    {
        method: "GET",
        path: "/v2/registries/:registry_name/garbage-collections",
        operationId: "registries_list_garbageCollections",
        handler: (ctx) => {
            const r = ctx.store.registry(param(ctx, "registry_name"));
            const paging = parsePaging(ctx.query, false);
            const newestFirst = [...r.garbageCollections].reverse();
            const page = paginate(newestFirst, paging, ctx.baseUrl, ctx.rawPath);
            const items = page.items.map((gc) => gcView(r, gc, ctx.now, ctx.store.stepMs));
            return { status: 200, body: { garbage_collections: items, links: page.links, meta: page.meta } };
        },
    },
];
