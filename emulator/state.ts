import { existsSync, renameSync, writeFileSync } from "node:fs";
import { notFound } from "./errors";
import { settleGcs } from "./gc";
import { readStateFile, removeLeftoverTmpFiles, tmpPathFor } from "./state-file";
import type { ClusterState, EmulatorState, RegistryState, RepositoryState } from "./types";
import type { Usage } from "./tiers";

/** A fresh account: no subscription, no registries. */
export function emptyState(): EmulatorState {
    return { subscription: null, takenNames: [], registries: [], credentials: [], clusters: [] };
}

/** Sum of the sizes of the blobs physically stored in a registry (unique by digest). */
export function storageUsage(registry: RegistryState): number {
    let total = 0;
    for (const size of Object.values(registry.blobStore)) total += size;
    return total;
}

/**
 * The account's mutable state plus the bookkeeping around it: lazy GC progress and atomic
 * persistence. Handlers mutate `state` directly and call `touch()`.
 */
export class Store {
    /** Live state; replace only through `replace()`. */
    state: EmulatorState;
    /**
     * The bearer token, kept in the state file beside the state so that a restart with the same
     * `--state` accepts the token every stack's config already holds.
     */
    token: string | undefined;
    private dirty = false;
    private changes = 0;

    constructor(
        private readonly statePath: string | undefined,
        private readonly gcStepMs: number,
    ) {
        // A kill mid-write leaves a temp file as large as the state; nothing reads it again.
        if (statePath) removeLeftoverTmpFiles(statePath);
        const loaded = statePath && existsSync(statePath) ? readStateFile(statePath) : undefined;
        this.state = loaded?.state ?? emptyState();
        this.token = loaded?.token;
    }

    /** Marks the state as changed so the next `flush()` writes it (and {@link version} moves on). */
    touch(): void {
        this.dirty = true;
        this.changes++;
    }

    /** Changes with every `touch()`: what is derived from the state (a listing's order) is kept for one version. */
    get version(): number {
        return this.changes;
    }

    /** Replaces the whole state (reset, load). */
    replace(state: EmulatorState): void {
        this.state = state;
        this.touch();
    }

    /** Brings time-driven state (GC runs) up to `now`. Called before every request is handled. */
    settle(now: number): void {
        for (const r of this.state.registries) if (settleGcs(r, now, this.gcStepMs)) this.touch();
    }

    /** Writes the state if it changed; atomic (temp file + rename) so a crash never leaves half a file. */
    flush(): void {
        if (!this.dirty || !this.statePath) {
            this.dirty = false;
            return;
        }
        const tmp = tmpPathFor(this.statePath);
        writeFileSync(tmp, JSON.stringify({ ...this.state, token: this.token }));
        renameSync(tmp, this.statePath);
        this.dirty = false;
    }

    /** GC step length in ms. */
    get stepMs(): number {
        return this.gcStepMs;
    }

    /** The registry with that name, or a 404. */
    registry(name: string): RegistryState {
        const r = this.state.registries.find((x) => x.name === name);
        if (!r) throw notFound(`registry "${name}" not found`);
        return r;
    }

    /** The repository with that name in a registry, or a 404. */
    repository(registry: RegistryState, name: string): RepositoryState {
        const repo = registry.repositories.find((x) => x.name === name);
        if (!repo) throw notFound(`repository "${name}" not found in registry "${registry.name}"`);
        return repo;
    }

    /** The DOKS cluster with that id, or a 404. */
    cluster(id: string): ClusterState {
        const c = this.state.clusters.find((x) => x.id === id);
        if (!c) throw notFound(`cluster "${id}" not found`);
        return c;
    }

    /** Account-wide usage (storage and repositories are shared across registries). */
    usage(): Usage {
        let repositories = 0;
        let storageBytes = 0;
        for (const r of this.state.registries) {
            repositories += r.repositories.length;
            storageBytes += storageUsage(r);
        }
        return { registries: this.state.registries.length, repositories, storageBytes };
    }
}
