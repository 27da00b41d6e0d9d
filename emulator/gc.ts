import type { GcState, GcStatus, RegistryState } from "./types";

/** Statuses a run walks through, one per step, before it succeeds. */
const STAGES: readonly GcStatus[] = [
    "requested",
    "waiting for write JWTs to expire",
    "scanning manifests",
    "deleting unreferenced blobs",
];

/** Where a run stands at `now`. */
export interface GcProgress {
    status: GcStatus;
    updatedAt: string;
    /** True when the run has not reached a final status. */
    active: boolean;
    /** True when the run is past its last stage but its effects are not applied yet. */
    due: boolean;
}

/**
 * Progress is derived from timestamps rather than timers, so it is deterministic, survives a
 * restart from a state file and needs no cleanup on stop.
 */
export function gcProgress(gc: GcState, now: number, stepMs: number): GcProgress {
    if (gc.finalStatus) {
        return { status: gc.finalStatus, updatedAt: gc.finishedAt ?? gc.createdAt, active: false, due: false };
    }
    const created = Date.parse(gc.createdAt);
    const stage = stepMs <= 0 ? STAGES.length : Math.floor(Math.max(0, now - created) / stepMs);
    if (stage >= STAGES.length) {
        const finished = new Date(created + STAGES.length * Math.max(0, stepMs)).toISOString();
        return { status: "succeeded", updatedAt: finished, active: false, due: true };
    }
    const status = STAGES[stage] ?? "requested";
    return { status, updatedAt: new Date(created + stage * stepMs).toISOString(), active: true, due: false };
}

/** Digests referenced by at least one manifest of the registry. */
export function referencedBlobs(registry: RegistryState): Set<string> {
    const used = new Set<string>();
    for (const repo of registry.repositories) {
        for (const m of repo.manifests) for (const b of m.blobs) used.add(b);
    }
    return used;
}

/** Applies a finished run: drop untagged manifests and/or unreferenced blobs, per its type. */
export function applyGc(registry: RegistryState, gc: GcState, finishedAt: string): void {
    if (gc.type !== "unreferenced blobs only") {
        for (const repo of registry.repositories) repo.manifests = repo.manifests.filter((m) => m.tags.length > 0);
        registry.repositories = registry.repositories.filter((r) => r.manifests.length > 0);
    }
    let deleted = 0;
    let freed = 0;
    if (gc.type !== "untagged manifests only") {
        const used = referencedBlobs(registry);
        for (const [digest, size] of Object.entries(registry.blobStore)) {
            if (used.has(digest)) continue;
            delete registry.blobStore[digest];
            deleted += 1;
            freed += size;
        }
    }
    gc.blobsDeleted = deleted;
    gc.freedBytes = freed;
    gc.finalStatus = "succeeded";
    gc.finishedAt = finishedAt;
    if (deleted > 0) registry.storageUpdatedAt = finishedAt;
}

/** Finishes every run that is due at `now`; returns true when state changed. */
export function settleGcs(registry: RegistryState, now: number, stepMs: number): boolean {
    let changed = false;
    for (const gc of registry.garbageCollections) {
        const p = gcProgress(gc, now, stepMs);
        if (p.due) {
            applyGc(registry, gc, p.updatedAt);
            changed = true;
        }
    }
    return changed;
}

/** The run currently in progress, if any. */
export function activeGc(registry: RegistryState, now: number, stepMs: number): GcState | undefined {
    return registry.garbageCollections.find((gc) => gcProgress(gc, now, stepMs).active);
}
