import { createHash } from "node:crypto";
import { mulberry32, type Rng } from "./random";
import type { FixtureBlob, FixtureManifest, FixtureRepository, GenerateOptions } from "./fixture-shapes";

export type { GenerateOptions } from "./fixture-shapes";

const MIB = 1024 * 1024;

function digestOf(...parts: (string | number)[]): string {
    return `sha256:${createHash("sha256").update(parts.join(":")).digest("hex")}`;
}

function between(rng: Rng, min: number, max: number): number {
    return Math.floor(min + rng() * (max - min));
}

function versionTag(i: number): string {
    return `v${1 + Math.floor(i / 1000)}.${Math.floor(i / 100) % 10}.${i % 100}`;
}

/**
 * Builds a fixture repository that looks like CI output: a few large base layers shared by every
 * manifest, a dependency layer that changes every ~10 builds, a unique app layer and config per
 * build, increasing push times with jitter. Fast enough for 10,000 tags (~100 ms).
 */
export function generateRepository(options: GenerateOptions): FixtureRepository {
    const seed = options.seed ?? 1;
    const rng = mulberry32(seed);
    const untagged = Math.max(0, Math.floor(options.untaggedCount ?? 0));
    const tagCount = Math.max(0, Math.floor(options.tagCount));
    const tagged = tagCount >= 2 ? tagCount - 1 : tagCount;
    const total = tagged + untagged;
    const start = new Date(options.startDate ?? "2024-01-01T00:00:00Z").getTime();
    const interval = (options.intervalMinutes ?? 60) * 60_000;
    const key = `${seed}:${options.name}`;

    const base: FixtureBlob[] = [0, 1, 2].map((i) => ({
        digest: digestOf(key, "base", i),
        sizeBytes: between(rng, 5 * MIB, 80 * MIB),
    }));
    let deps: FixtureBlob = { digest: digestOf(key, "deps", 0), sizeBytes: between(rng, 2 * MIB, 40 * MIB) };

    const manifests: FixtureManifest[] = [];
    let version = 0;
    let untaggedLeft = untagged;
    for (let k = 0; k < total; k++) {
        if (k > 0 && k % 10 === 0)
            deps = { digest: digestOf(key, "deps", k), sizeBytes: between(rng, 2 * MIB, 40 * MIB) };
        const blobs: FixtureBlob[] = [
            { digest: digestOf(key, "config", k), sizeBytes: between(rng, 1024, 10 * 1024) },
            base[k % 2 === 0 ? 0 : 1] ?? base[0],
            ...(k % 3 === 0 ? [base[2]] : []),
            deps,
            { digest: digestOf(key, "app", k), sizeBytes: between(rng, 50 * 1024, 5 * MIB) },
        ];
        // Spread untagged manifests evenly over the older pushes.
        const slotsLeft = total - 1 - k;
        const isUntagged =
            untaggedLeft > 0 && (slotsLeft <= untaggedLeft || rng() < untaggedLeft / Math.max(1, slotsLeft));
        let tags: string[] = [];
        if (isUntagged) {
            untaggedLeft -= 1;
        } else {
            tags = [versionTag(version++)];
            if (k === total - 1 && tagCount >= 2) tags.push("latest");
            if (tagCount === 1) tags = ["latest"];
        }
        const compressed = blobs.reduce((s, b) => s + b.sizeBytes, 0);
        const at = start + k * interval + Math.floor(rng() * interval * 0.5);
        manifests.push({
            digest: digestOf(key, "manifest", k),
            tags,
            updatedAt: new Date(at).toISOString(),
            sizeBytes: Math.round(compressed * (1.8 + rng() * 0.8)),
            blobs,
        });
    }
    return { name: options.name, manifests };
}
