/**
 * A seeded registry for retention tests, and the expected selection computed straight from it
 * (independently of provider/resources/retention/select.ts).
 */
import type { Fixture, FixtureManifest } from "../../emulator";

export const REGISTRY = "shop";
const HOUR = 3_600_000;
/** A base layer every repository shares (covered or not): it must never count as freed. */
const SHARED_BASE = { digest: "sha256:shared-base", sizeBytes: 50_000_000 };

export const RULES = {
    repositories: ["api", "web/*"],
    keepLast: 20,
    keepTagsMatching: ["^v\\d+\\.\\d+\\.\\d+$", "^stable$"],
    olderThanDays: 14,
    deleteUntaggedManifests: true,
};

/** Repositories, manifest counts; `web/admin/legacy` and `tools/ci` are outside the globs. */
const SHAPES: [string, number][] = [
    ["api", 150],
    ["web/frontend", 120],
    ["web/admin", 60],
    ["web/admin/legacy", 30],
    ["tools/ci", 50],
];

function digest(repo: string, k: number, what = "m"): string {
    return `sha256:${what}-${repo.replace(/\//g, "-")}-${k}`;
}

/**
 * Manifest k of n is pushed (n - k) days - 1 h ago, so the newest 14 are younger than 14 days (fewer
 * than `keepLast` tags: both rules matter) and none is within an hour of that cutoff. Tags: `build-k`; every 25th also `v1.<k/25>.0`;
 * every 10th (k % 10 == 3) untagged; manifest 5 carries `build-5` and `stable` (protected by
 * pattern: `build-5` goes, the manifest stays); manifest 7 carries two build tags (both go, then
 * the manifest). Layers: the shared base, a per-10 dependency layer, a unique app layer.
 */
export function repoManifests(repo: string, n: number, now: number): FixtureManifest[] {
    const out: FixtureManifest[] = [];
    for (let k = 0; k < n; k++) {
        const tags = k % 10 === 3 ? [] : [`build-${k}`];
        if (k % 25 === 0) tags.push(`v1.${k / 25}.0`);
        if (k === 5) tags.push("stable");
        if (k === 7) tags.push("build-7b");
        out.push({
            digest: digest(repo, k),
            tags,
            updatedAt: new Date(now - (n - k) * 24 * HOUR - HOUR).toISOString(),
            blobs: [
                SHARED_BASE,
                { digest: digest(repo, Math.floor(k / 10), "deps"), sizeBytes: 2_000_000 },
                { digest: digest(repo, k, "app"), sizeBytes: 100_000 + k },
            ],
        });
    }
    return out;
}

export function fixture(now: number): Fixture {
    return {
        subscriptionTier: "professional",
        registries: [
            {
                name: REGISTRY,
                region: "fra1",
                repositories: SHAPES.map(([name, n]) => ({ name, manifests: repoManifests(name, n, now) })),
            },
        ],
    };
}

/** What the rules select, per covered repository: tags and manifest digests. */
export function expectedDeletions(now: number): { name: string; tags: string[]; manifests: string[] }[] {
    const cutoff = now - RULES.olderThanDays * 24 * HOUR;
    const patterns = RULES.keepTagsMatching.map((p) => new RegExp(p));
    const result: { name: string; tags: string[]; manifests: string[] }[] = [];
    for (const [name, n] of SHAPES) {
        if (!(name === "api" || /^web\/[^/]+$/.test(name))) continue;
        const manifests = repoManifests(name, n, now);
        // Every manifest has a distinct push time, so "newest first" is the reverse push order.
        const tagged = manifests.flatMap((m) => (m.tags ?? []).map((tag) => ({ tag, m }))).reverse();
        const keptManifests = new Set<string>();
        const tags: string[] = [];
        const newestGroup = new Set(tagged.slice(0, RULES.keepLast).map((x) => x.tag));
        tagged.forEach(({ tag, m }) => {
            const young = Date.parse(m.updatedAt ?? "") >= cutoff;
            if (newestGroup.has(tag) || young || patterns.some((p) => p.test(tag))) keptManifests.add(m.digest ?? "");
            else tags.push(tag);
        });
        const doomed = manifests
            .filter((m) => !keptManifests.has(m.digest ?? "") && Date.parse(m.updatedAt ?? "") < cutoff)
            .map((m) => m.digest ?? "");
        result.push({ name, tags, manifests: doomed });
    }
    return result;
}

/** Bytes of the layers only deleted manifests use (the shared base is used by kept ones). */
export function expectedFreedBytes(now: number): number {
    const doomed = new Set(expectedDeletions(now).flatMap((r) => r.manifests));
    const kept = new Set<string>();
    const sizes = new Map<string, number>();
    for (const [name, n] of SHAPES) {
        for (const m of repoManifests(name, n, now)) {
            for (const b of m.blobs ?? []) {
                sizes.set(b.digest, b.sizeBytes);
                if (!doomed.has(m.digest ?? "")) kept.add(b.digest);
            }
        }
    }
    let total = 0;
    for (const [digest, size] of sizes) if (!kept.has(digest)) total += size;
    return total;
}
