import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { generateRepository, type GenerateOptions } from "./generate";
import { DEFAULT_REGION, findTier, REGISTRY_NAME_PATTERN } from "./tiers";
import type { EmulatorState, ManifestState, RegistryState, RepositoryState, TierSlug } from "./types";

/** A blob in a fixture. */
export interface FixtureBlob {
  digest: string;
  sizeBytes: number;
}

/** A manifest in a fixture; defaults: digest derived from position, no tags, one 1 MiB blob. */
export interface FixtureManifest {
  digest?: string;
  tags?: string[];
  /** ISO time; default: pushes one second apart, later entries newer. */
  updatedAt?: string;
  /** Uncompressed size; default twice the compressed size. */
  sizeBytes?: number;
  blobs?: FixtureBlob[];
}

/** A repository in a fixture: explicit manifests, or `generate` options for `generateRepository`. */
export interface FixtureRepository {
  name: string;
  manifests?: FixtureManifest[];
  generate?: Omit<GenerateOptions, "name">;
}

/** A registry in a fixture. */
export interface FixtureRegistry {
  name: string;
  region?: string;
  createdAt?: string;
  repositories?: FixtureRepository[];
}

/**
 * Seed data for the emulator (option `fixture`, `--fixture FILE`, `POST /_emulator/seed`).
 * Seeding merges: registries are added, or their named repositories replaced when they exist.
 */
export interface Fixture {
  subscriptionTier?: TierSlug;
  /** Names "taken by another team": validate-name and create answer 409. */
  takenNames?: string[];
  registries?: FixtureRegistry[];
}

/** Reads a fixture file (JSON). */
export function readFixture(path: string): Fixture {
  return parseFixture(JSON.parse(readFileSync(path, "utf8")));
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks the shape of untrusted fixture JSON; throws an Error naming the first problem. */
export function parseFixture(v: unknown): Fixture {
  if (!isObj(v)) throw new Error("fixture must be a JSON object");
  if (v.subscriptionTier !== undefined && !findTier(v.subscriptionTier)) throw new Error("fixture.subscriptionTier is not a tier slug");
  if (v.takenNames !== undefined && !(Array.isArray(v.takenNames) && v.takenNames.every((n) => typeof n === "string"))) {
    throw new Error("fixture.takenNames must be an array of strings");
  }
  if (v.registries !== undefined) {
    if (!Array.isArray(v.registries)) throw new Error("fixture.registries must be an array");
    v.registries.forEach((r: unknown, i: number) => {
      if (!isObj(r) || typeof r.name !== "string" || !REGISTRY_NAME_PATTERN.test(r.name)) {
        throw new Error(`fixture.registries[${i}].name must match ^[a-z0-9-]{1,63}$`);
      }
      if (r.repositories !== undefined && !Array.isArray(r.repositories)) throw new Error(`fixture.registries[${i}].repositories must be an array`);
      for (const repo of (r.repositories ?? []) as unknown[]) {
        if (!isObj(repo) || typeof repo.name !== "string" || repo.name === "") throw new Error(`a repository of ${r.name} has no name`);
        if (repo.manifests !== undefined && !Array.isArray(repo.manifests)) throw new Error(`${repo.name}.manifests must be an array`);
      }
    });
  }
  return v as Fixture;
}

function digestOf(...parts: (string | number)[]): string {
  return `sha256:${createHash("sha256").update(parts.join(":")).digest("hex")}`;
}

function buildRepository(registry: RegistryState, spec: FixtureRepository, now: number): RepositoryState {
  const source = spec.generate ? generateRepository({ ...spec.generate, name: spec.name }).manifests ?? [] : spec.manifests ?? [];
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
