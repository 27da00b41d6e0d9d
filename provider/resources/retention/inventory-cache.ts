/**
 * The last inventory of each repository, on disk beside the plan files, so that a check lists
 * again only the repositories that changed. The repositories listing (repositoriesV2) says of
 * each repository its tag and manifest counts and its newest manifest: a repository whose summary
 * is the one recorded with its inventory is taken from here. One file per repository, named by a
 * digest of the API URL, registry and repository (never the token, which no file holds); files
 * older than {@link CACHE_MAX_AGE_MS} are ignored and removed, and past {@link CACHE_MAX_BYTES}
 * the least recently written go first. A run that deletes lists afresh what it deletes from.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { RepositoryV2 } from "../../client";
import { replaceFile } from "../../shared/replace-file";
import { planFileDir } from "./plan-file";
import type { ManifestInfo, TagInfo } from "./select";

/** An inventory older than this is listed again, whatever its summary says. */
export const CACHE_MAX_AGE_MS = 24 * 3_600_000;
/** All cached inventories together (100 repositories × 2,000 tags take about 150 MB). */
export const CACHE_MAX_BYTES = 256 * 1024 * 1024;

export function cacheDir(): string {
    return join(planFileDir(), "inventories");
}

/**
 * What the repositories listing says of a repository, as one string; undefined when the listing
 * leaves out a count (then nothing tells a change apart, and the repository is listed).
 */
export function summaryOf(r: RepositoryV2): string | undefined {
    if (r.tag_count === undefined || r.manifest_count === undefined) return undefined;
    const latest = r.latest_manifest;
    return JSON.stringify([
        r.tag_count,
        r.manifest_count,
        latest?.digest ?? null,
        latest?.updated_at ?? null,
        [...(latest?.tags ?? [])].sort(),
    ]);
}

/* Built per call, like the inputs schema. */
function cacheFileSchema() {
    const tag = z.object({ tag: z.string(), digest: z.string(), updatedAt: z.string().optional() });
    const manifest = z.object({
        digest: z.string(),
        tags: z.array(z.string()),
        updatedAt: z.string().optional(),
        blobs: z.array(z.object({ digest: z.string(), sizeBytes: z.number() })),
    });
    return z.object({
        key: z.string(),
        summary: z.string(),
        savedAt: z.string(),
        tags: z.array(tag).optional(),
        manifests: z.array(manifest),
    });
}

/** One repository's inventory as cached; no `tags` when only its manifests were listed (a repository the policy does not cover). */
export interface CachedRepository {
    tags?: TagInfo[];
    manifests: ManifestInfo[];
}

/** The file name of a repository's inventory: the endpoint is hashed in, so an emulator's never stands in for the API's. */
export function cacheKey(endpoint: string, registryName: string, repository: string): string {
    return createHash("sha256")
        .update(JSON.stringify([endpoint, registryName, repository]))
        .digest("hex")
        .slice(0, 32);
}

function pathOf(key: string): string {
    return join(cacheDir(), `${key}.json`);
}

/** The cached inventory when its summary is `summary` and it is recent; anything else (missing, old, unreadable) is a miss. */
export function readCached(key: string, summary: string, now: number): CachedRepository | undefined {
    let text: string;
    try {
        text = readFileSync(pathOf(key), "utf8");
    } catch {
        return undefined;
    }
    try {
        const parsed = cacheFileSchema().safeParse(JSON.parse(text));
        if (!parsed.success || parsed.data.key !== key || parsed.data.summary !== summary) return undefined;
        const age = now - Date.parse(parsed.data.savedAt);
        if (!(age >= 0 && age <= CACHE_MAX_AGE_MS)) return undefined;
        const { tags, manifests } = parsed.data;
        return tags ? { tags, manifests } : { manifests };
    } catch {
        return undefined;
    }
}

/** Replaces a repository's file at once (temporary file, then rename). A failure only costs the next check a listing. */
export function writeCached(key: string, summary: string, inventory: CachedRepository, now: number): void {
    const content = { key, summary, savedAt: new Date(now).toISOString(), ...inventory };
    replaceFile(pathOf(key), JSON.stringify(content));
}

/** Removes what is past the age bound, then the least recently written files until the rest fits the size bound. */
export function pruneCache(now: number, maxBytes = CACHE_MAX_BYTES, maxAgeMs = CACHE_MAX_AGE_MS): void {
    let names: string[];
    try {
        names = readdirSync(cacheDir());
    } catch {
        return;
    }
    const files: { path: string; size: number; mtime: number }[] = [];
    for (const name of names) {
        const path = join(cacheDir(), name);
        try {
            const s = statSync(path);
            files.push({ path, size: s.size, mtime: s.mtimeMs });
        } catch {
            // Removed by a concurrent prune.
        }
    }
    files.sort((a, b) => b.mtime - a.mtime);
    let total = 0;
    for (const f of files) {
        if (now - f.mtime <= maxAgeMs && total + f.size <= maxBytes) {
            total += f.size;
            continue;
        }
        try {
            rmSync(f.path, { force: true });
        } catch {
            // Another process's file it cannot remove: it ages out for that process.
        }
    }
}
