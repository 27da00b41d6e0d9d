/** The on-disk inventories' bounds: age, size, and what makes a file a miss. */
import { mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import {
    CACHE_MAX_AGE_MS,
    cacheDir,
    cacheKey,
    pruneCache,
    readCached,
    summaryOf,
    writeCached,
} from "../../provider/resources/retention/inventory-cache";

const INVENTORY = {
    tags: [{ tag: "v1", digest: "sha256:a", updatedAt: "2026-01-01T00:00:00Z" }],
    manifests: [{ digest: "sha256:a", tags: ["v1"], blobs: [{ digest: "sha256:l", sizeBytes: 10 }] }],
};

describe("retention inventory cache", () => {
    let dir: string;
    let saved: string | undefined;
    beforeEach(() => {
        saved = process.env.DOCR_RETENTION_PLAN_DIR;
        dir = mkdtempSync(join(tmpdir(), "docr-cache-"));
        process.env.DOCR_RETENTION_PLAN_DIR = dir;
    });
    afterEach(() => {
        if (saved === undefined) delete process.env.DOCR_RETENTION_PLAN_DIR;
        else process.env.DOCR_RETENTION_PLAN_DIR = saved;
        rmSync(dir, { recursive: true, force: true });
    });

    it("a file is used only with the same summary and within the age bound", () => {
        const now = Date.now();
        const key = cacheKey("https://api.example", "acme", "api");
        writeCached(key, "s1", INVENTORY, now);
        expect(readCached(key, "s1", now)).to.deep.equal(INVENTORY);
        expect(readCached(key, "s2", now), "another summary").to.equal(undefined);
        expect(readCached(key, "s1", now + CACHE_MAX_AGE_MS + 1), "too old").to.equal(undefined);
        expect(readCached(cacheKey("http://127.0.0.1:1", "acme", "api"), "s1", now), "another API").to.equal(undefined);
    });

    it("a repository summary without counts is never cached (nothing tells a change apart)", () => {
        expect(summaryOf({ name: "api", tag_count: 3 })).to.equal(undefined);
        const a = summaryOf({ name: "api", tag_count: 3, manifest_count: 2, latest_manifest: { digest: "sha256:a" } });
        const b = summaryOf({ name: "api", tag_count: 3, manifest_count: 2, latest_manifest: { digest: "sha256:b" } });
        expect(a).to.be.a("string");
        expect(a).to.not.equal(b);
    });

    it("pruning removes files past the age bound, then the least recently written past the size bound", () => {
        const now = Date.now();
        const keys = ["a", "b", "c", "d"].map((r) => cacheKey("https://api.example", "acme", r));
        for (const key of keys) writeCached(key, "s", INVENTORY, now);
        const files = () => readdirSync(cacheDir()).sort();
        const at = (key: string, ms: number) => utimesSync(join(cacheDir(), `${key}.json`), ms / 1000, ms / 1000);
        at(keys[0], now - CACHE_MAX_AGE_MS - 60_000); // too old
        at(keys[1], now - 3_000); // the oldest of the rest
        at(keys[2], now - 2_000);
        at(keys[3], now - 1_000);
        const size = JSON.stringify({
            key: keys[1],
            summary: "s",
            savedAt: new Date(now).toISOString(),
            ...INVENTORY,
        }).length;
        pruneCache(now, 2 * size);
        expect(files()).to.deep.equal([`${keys[2]}.json`, `${keys[3]}.json`].sort());
    });
});
