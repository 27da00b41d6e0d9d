import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FixtureRepository } from "./fixture-shapes";
import { generateRepository } from "./generate";
import { DEFAULT_REGION, findTier, REGISTRY_NAME_PATTERN } from "./tiers";
import type { ClusterState, EmulatorState, ManifestState, RegistryState, RepositoryState, TierSlug } from "./types";

export type { FixtureBlob, FixtureManifest, FixtureRepository } from "./fixture-shapes";

/** A registry in a fixture. */
export interface FixtureRegistry {
    name: string;
    region?: string;
    createdAt?: string;
    repositories?: FixtureRepository[];
}

/** A DOKS cluster in a fixture; the id defaults to a UUID derived from the name. */
export interface FixtureCluster {
    id?: string;
    name: string;
    region?: string;
    /** Registries already integrated with the cluster (default none: `registry_enabled: false`). */
    registries?: string[];
}

/** Cluster ids are UUIDs, as the API's `cluster_id` (lowercase, as DigitalOcean issues them). */
export const CLUSTER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Seed data for the emulator (option `fixture`, `--fixture FILE`, `POST /_emulator/seed`).
 * Seeding merges: registries are added, or their named repositories replaced when they exist.
 */
export interface Fixture {
    subscriptionTier?: TierSlug;
    /** Names "taken by another team": validate-name and create answer 409. */
    takenNames?: string[];
    registries?: FixtureRegistry[];
    /** DOKS clusters; seeding a cluster whose id exists replaces its name and region (and registries, when given). */
    clusters?: FixtureCluster[];
}

/** Reads a fixture file (JSON). */
export function readFixture(path: string): Fixture {
    return parseFixture(JSON.parse(readFileSync(path, "utf8")));
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks the shape of untrusted fixture JSON; throws an Error naming the first problem. */
export function parseFixture(v: unknown): Fixture {
    if (!isObj(v)) throw new Error("fixture must be a JSON object");
    if (v.subscriptionTier !== undefined && !findTier(v.subscriptionTier))
        throw new Error("fixture.subscriptionTier is not a tier slug");
    if (
        v.takenNames !== undefined &&
        !(Array.isArray(v.takenNames) && v.takenNames.every((n) => typeof n === "string"))
    ) {
        throw new Error("fixture.takenNames must be an array of strings");
    }
    if (v.registries !== undefined) {
        if (!Array.isArray(v.registries)) throw new Error("fixture.registries must be an array");
        v.registries.forEach((r: unknown, i: number) => {
            if (!isObj(r) || typeof r.name !== "string" || !REGISTRY_NAME_PATTERN.test(r.name)) {
                throw new Error(`fixture.registries[${i}].name must match ^[a-z0-9-]{1,63}$`);
            }
            if (r.repositories !== undefined && !Array.isArray(r.repositories))
                throw new Error(`fixture.registries[${i}].repositories must be an array`);
            for (const repo of (r.repositories ?? []) as unknown[]) {
                if (!isObj(repo) || typeof repo.name !== "string" || repo.name === "")
                    throw new Error(`a repository of ${r.name} has no name`);
                if (repo.manifests !== undefined && !Array.isArray(repo.manifests))
                    throw new Error(`${repo.name}.manifests must be an array`);
            }
        });
    }
    if (v.clusters !== undefined) {
        if (!Array.isArray(v.clusters)) throw new Error("fixture.clusters must be an array");
        v.clusters.forEach((c: unknown, i: number) => parseFixtureCluster(c, `fixture.clusters[${i}]`));
    }
    return v;
}

/** Checks one cluster of a fixture (or of `POST /_emulator/clusters`); throws naming the field. */
export function parseFixtureCluster(c: unknown, where: string): FixtureCluster {
    if (!isObj(c) || typeof c.name !== "string" || c.name === "")
        throw new Error(`${where}.name must be a non-empty string`);
    if (c.id !== undefined && (typeof c.id !== "string" || !CLUSTER_ID_PATTERN.test(c.id)))
        throw new Error(`${where}.id must be a lowercase UUID`);
    if (c.region !== undefined && typeof c.region !== "string") throw new Error(`${where}.region must be a string`);
    if (
        c.registries !== undefined &&
        !(
            Array.isArray(c.registries) &&
            c.registries.every((r) => typeof r === "string" && REGISTRY_NAME_PATTERN.test(r))
        )
    ) {
        throw new Error(`${where}.registries must be an array of registry names`);
    }
    return c as unknown as FixtureCluster;
}

/** The id a fixture cluster without one gets: a UUID derived from its name, stable across runs. */
export function clusterIdFor(name: string): string {
    const h = createHash("sha256").update(`cluster:${name}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Adds a cluster, or replaces the name and region (and registries, when given) of the one with its id. */
export function upsertCluster(state: EmulatorState, spec: FixtureCluster, now: number): ClusterState {
    const id = spec.id ?? clusterIdFor(spec.name);
    const existing = state.clusters.find((c) => c.id === id);
    const cluster: ClusterState = {
        id,
        name: spec.name,
        region: spec.region ?? DEFAULT_CLUSTER_REGION,
        createdAt: existing?.createdAt ?? new Date(now).toISOString(),
        registries: [...(spec.registries ?? existing?.registries ?? [])],
    };
    state.clusters = [...state.clusters.filter((c) => c.id !== id), cluster];
    return cluster;
}

/** DOKS's most common region, used when a fixture cluster names none. */
const DEFAULT_CLUSTER_REGION = "nyc1";

function digestOf(...parts: (string | number)[]): string {
    return `sha256:${createHash("sha256").update(parts.join(":")).digest("hex")}`;
}

function buildRepository(registry: RegistryState, spec: FixtureRepository, now: number): RepositoryState {
    const source = spec.generate
        ? (generateRepository({ ...spec.generate, name: spec.name }).manifests ?? [])
        : (spec.manifests ?? []);
    const manifests: ManifestState[] = source.map((m, i) => {
        const digest = m.digest ?? digestOf(registry.name, spec.name, i);
        const blobs = m.blobs ?? [{ digest: digestOf(digest, "layer"), sizeBytes: 1024 * 1024 }];
        for (const b of blobs) registry.blobStore[b.digest] = b.sizeBytes;
        const compressed = blobs.reduce((s, b) => s + b.sizeBytes, 0);
        return {
            digest,
            tags: [...(m.tags ?? [])],
            updatedAt: m.updatedAt ?? new Date(now - (source.length - i) * 1000).toISOString(),
            blobs: blobs.map((b) => b.digest),
            sizeBytes: m.sizeBytes ?? compressed * 2,
        };
    });
    return { name: spec.name, manifests };
}

/** Merges a fixture into the state (see `Fixture`). */
export function applyFixture(state: EmulatorState, fixture: Fixture, now: number): void {
    const iso = new Date(now).toISOString();
    for (const n of fixture.takenNames ?? []) if (!state.takenNames.includes(n)) state.takenNames.push(n);
    for (const spec of fixture.registries ?? []) {
        let registry = state.registries.find((r) => r.name === spec.name);
        if (!registry) {
            registry = {
                name: spec.name,
                region: spec.region ?? DEFAULT_REGION,
                createdAt: spec.createdAt ?? iso,
                blobStore: {},
                storageUpdatedAt: iso,
                repositories: [],
                garbageCollections: [],
            };
            state.registries.push(registry);
        }
        for (const repoSpec of spec.repositories ?? []) {
            const repo = buildRepository(registry, repoSpec, now);
            registry.repositories = registry.repositories.filter((r) => r.name !== repo.name);
            registry.repositories.push(repo);
        }
        registry.storageUpdatedAt = iso;
    }
    for (const spec of fixture.clusters ?? []) upsertCluster(state, spec, now);
    const tier = fixture.subscriptionTier ?? (state.subscription ? undefined : defaultTier(state));
    if (tier) {
        state.subscription = { tier, createdAt: state.subscription?.createdAt ?? iso, updatedAt: iso };
    }
}

/** A seeded account needs a plan that allows what was seeded. */
function defaultTier(state: EmulatorState): TierSlug | undefined {
    if (state.registries.length === 0) return undefined;
    return state.registries.length > 1 ? "professional" : "basic";
}
