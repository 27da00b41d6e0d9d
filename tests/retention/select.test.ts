/** Pure unit tests of the retention rules (no I/O). */
import { expect } from "chai";
import { isRunDue, parseDuration } from "../../provider/resources/retention/duration";
import { globToRegExp, matchesAnyGlob } from "../../provider/resources/retention/glob";
import { throttledProgress } from "../../provider/resources/retention/pool";
import { partialFailure } from "../../provider/resources/retention/run";
import {
    type Inventory,
    type ManifestInfo,
    type Rules,
    selectDeletions,
} from "../../provider/resources/retention/select";
import { describePlan, formatBytes, planDigest } from "../../provider/resources/retention/summary";

const DAY = 86_400_000;
const NOW = Date.parse("2025-03-01T00:00:00Z");
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

function repo(name: string, manifests: (Omit<ManifestInfo, "blobs"> & { blobs?: ManifestInfo["blobs"] })[]) {
    const full = manifests.map((m) => ({ blobs: [], ...m }));
    return {
        name,
        manifests: full,
        tags: full.flatMap((m) => m.tags.map((tag) => ({ tag, digest: m.digest, updatedAt: m.updatedAt }))),
    };
}

const rules = (r: Partial<Rules> = {}): Rules => ({
    repositories: ["**"],
    keepLast: 0,
    keepTagsMatching: [],
    olderThanDays: 0,
    deleteUntaggedManifests: false,
    deleteEmptiedRepositories: false,
    ...r,
});

describe("retention rules (pure)", () => {
    it("globs: * stays within a segment, ** crosses, the rest is literal", () => {
        expect(matchesAnyGlob("web/app", ["web/*"])).to.equal(true);
        expect(matchesAnyGlob("web/app/v2", ["web/*"])).to.equal(false);
        expect(matchesAnyGlob("web/app/v2", ["web/**"])).to.equal(true);
        expect(matchesAnyGlob("api", ["api", "web/*"])).to.equal(true);
        expect(matchesAnyGlob("apix", ["api"])).to.equal(false);
        expect(globToRegExp("a.b?").test("a.bc")).to.equal(true);
        expect(globToRegExp("a.b").test("axb")).to.equal(false);
    });

    it("durations and runEvery", () => {
        expect(parseDuration("24h")).to.equal(86_400_000);
        expect(parseDuration("30m")).to.equal(1_800_000);
        expect(parseDuration("1h30m")).to.equal(5_400_000);
        expect(parseDuration("7d")).to.equal(7 * DAY);
        for (const bad of ["", "24", "h", "0h", "soon", "1 h"]) expect(parseDuration(bad), bad).to.equal(undefined);
        expect(isRunDue(ago(2), "24h", NOW)).to.equal(true);
        expect(isRunDue(ago(0.5), "24h", NOW)).to.equal(false);
        expect(isRunDue(ago(2), undefined, NOW)).to.equal(false);
    });

    it("keeps the newest keepLast by updated_at, pattern matches, and young tags; deletes the rest", () => {
        const inv: Inventory = {
            registryName: "r",
            otherBlobs: [],
            repositories: [
                repo("app", [
                    { digest: "d1", tags: ["b1"], updatedAt: ago(30) },
                    { digest: "d2", tags: ["v1.0.0"], updatedAt: ago(29) },
                    { digest: "d3", tags: ["b3"], updatedAt: ago(28) },
                    { digest: "d5", tags: ["b5"], updatedAt: ago(2) },
                    { digest: "d4", tags: ["b4"], updatedAt: ago(27) },
                ]),
            ],
        };
        const plan = selectDeletions(
            inv,
            rules({ keepLast: 1, keepTagsMatching: ["^v\\d+\\.\\d+\\.\\d+$"], olderThanDays: 3 }),
            NOW,
        );
        // b5 newest (and young), v1.0.0 protected; b4 would be second newest but keepLast is 1.
        expect(plan.repositories[0].tags).to.deep.equal(["b4", "b3", "b1"]);
        const keep2 = selectDeletions(inv, rules({ keepLast: 2 }), NOW);
        expect(keep2.repositories[0].tags).to.deep.equal(["b3", "v1.0.0", "b1"]);
    });

    it("patterns apply as written: unanchored patterns keep more", () => {
        const inv: Inventory = {
            registryName: "r",
            otherBlobs: [],
            repositories: [
                repo("app", [
                    { digest: "d1", tags: ["latest-arm64"], updatedAt: ago(9) },
                    { digest: "d2", tags: ["old"], updatedAt: ago(8) },
                ]),
            ],
        };
        expect(selectDeletions(inv, rules({ keepTagsMatching: ["latest"] }), NOW).repositories[0].tags).to.deep.equal([
            "old",
        ]);
        expect(selectDeletions(inv, rules({ keepTagsMatching: ["^latest$"] }), NOW).repositories[0].tags).to.deep.equal(
            ["old", "latest-arm64"],
        );
    });

    it("manifests: untagged or left untagged are deleted; a manifest with any kept tag never is", () => {
        const inv: Inventory = {
            registryName: "r",
            otherBlobs: ["shared"],
            repositories: [
                repo("app", [
                    {
                        digest: "u",
                        tags: [],
                        updatedAt: ago(20),
                        blobs: [
                            { digest: "shared", sizeBytes: 1000 },
                            { digest: "u-app", sizeBytes: 7 },
                        ],
                    },
                    {
                        digest: "two",
                        tags: ["a", "b"],
                        updatedAt: ago(19),
                        blobs: [
                            { digest: "two-app", sizeBytes: 5 },
                            { digest: "common", sizeBytes: 3 },
                        ],
                    },
                    {
                        digest: "prot",
                        tags: ["c", "stable"],
                        updatedAt: ago(18),
                        blobs: [{ digest: "common", sizeBytes: 3 }],
                    },
                    { digest: "young", tags: [], updatedAt: ago(1) },
                ]),
                repo("other", [{ digest: "x", tags: [], updatedAt: ago(50) }]),
            ],
        };
        const plan = selectDeletions(
            inv,
            rules({
                repositories: ["app"],
                keepTagsMatching: ["^stable$"],
                olderThanDays: 7,
                deleteUntaggedManifests: true,
            }),
            NOW,
        );
        expect(plan.repositories.map((r) => r.name)).to.deep.equal(["app"]);
        expect(plan.repositories[0].tags).to.deep.equal(["c", "a", "b"]);
        expect(plan.repositories[0].manifests).to.deep.equal(["two", "u"]);
        // "shared" is used elsewhere, "common" by the kept manifest: only u-app and two-app are freed.
        expect(plan.bytes).to.equal(12);
        const tagsOnly = selectDeletions(inv, rules({ repositories: ["app"], olderThanDays: 7 }), NOW);
        expect(tagsOnly.repositories[0].manifests).to.deep.equal([]);
        expect(tagsOnly.bytes).to.equal(0);
    });

    it("plan digest ignores order, changes with content; log lines are short", () => {
        const a = planDigest({
            registryName: "r",
            repositories: [
                { name: "x", tags: ["1", "2"], manifests: [] },
                { name: "y", tags: [], manifests: ["m"] },
            ],
        });
        const b = planDigest({
            registryName: "r",
            repositories: [
                { name: "y", tags: [], manifests: ["m"] },
                { name: "x", tags: ["2", "1"], manifests: [] },
            ],
        });
        expect(a).to.equal(b);
        expect(
            planDigest({ registryName: "r", repositories: [{ name: "x", tags: ["1"], manifests: [] }] }),
        ).to.not.equal(a);
        expect(planDigest({ registryName: "r", repositories: [{ name: "x", tags: [], manifests: [] }] })).to.equal(
            planDigest({ registryName: "r", repositories: [] }),
        );
        const lines = describePlan(
            {
                registryName: "r",
                bytes: 3 * 1024 * 1024,
                repositories: [
                    {
                        name: "x",
                        tags: ["1", "2", "3"],
                        manifests: [],
                        bytes: 0,
                        requests: { name: "x", repository: false, manifests: [], tags: ["1", "2", "3"] },
                    },
                ],
            },
            "would delete",
            2,
        );
        expect(lines[0]).to.equal(
            'retention: registry "r": would delete 3 tags and 0 manifests in 1 repositories (~3.0 MiB freed after garbage collection)',
        );
        expect(lines[1]).to.contain("[1, 2, … (+1)]");
        expect(formatBytes(0)).to.equal("0 B");
    });

    it("a partial failure carries state only when it fits in the host's response", () => {
        const small = partialFailure("boom", "id-1", { deletedTags: 3 });
        expect(small).to.include({ message: "boom", id: "id-1" });
        expect(small.reasons).to.deep.equal(["boom"]);
        const big = partialFailure("boom", "id-1", { __provider: "x".repeat(100_000) });
        expect(big.message).to.equal("boom");
        expect(big.id).to.equal(undefined);
    });
});

describe("retention progress reporting", () => {
    it("reports at most once per interval, with the message built only when it is reported", () => {
        let clock = 0;
        const lines: string[] = [];
        let built = 0;
        const progress = throttledProgress(
            (m) => lines.push(m),
            10_000,
            () => clock,
        );
        for (let done = 1; done <= 100; done++) {
            clock += 500; // one deletion every half second
            progress(() => {
                built += 1;
                return `deleted ${done}`;
            });
        }
        expect(lines).to.deep.equal(["deleted 20", "deleted 40", "deleted 60", "deleted 80", "deleted 100"]);
        expect(built).to.equal(5);
    });
});
