/** Pure unit tests of a plan's requests: by digest when every tag goes, the repository only when asked, the budget, the preview's bound. */
import { expect } from "chai";
import { describeCost } from "../../provider/resources/retention/cost";
import { countsOf, splitAtBudget, withinBound } from "../../provider/resources/retention/requests";
import {
    type Inventory,
    type RepositoryRequests,
    type Rules,
    selectDeletions,
} from "../../provider/resources/retention/select";

const NOW = Date.parse("2025-03-01T00:00:00Z");
const ago = (days: number) => new Date(NOW - days * 86_400_000).toISOString();
const rules = (r: Partial<Rules> = {}): Rules => ({
    repositories: ["**"],
    keepLast: 0,
    keepTagsMatching: [],
    olderThanDays: 0,
    deleteUntaggedManifests: true,
    deleteEmptiedRepositories: false,
    ...r,
});

/** `app`: m1 carries a, b, c (all old); m2 carries d (newest); m3 untagged. */
function inventory(): Inventory {
    const manifests = [
        { digest: "m1", tags: ["a", "b", "c"], updatedAt: ago(30), blobs: [] },
        { digest: "m2", tags: ["d"], updatedAt: ago(1), blobs: [] },
        { digest: "m3", tags: [], updatedAt: ago(40), blobs: [] },
    ];
    const tags = manifests.flatMap((m) => m.tags.map((tag) => ({ tag, digest: m.digest, updatedAt: m.updatedAt })));
    return { registryName: "r", otherBlobs: [], repositories: [{ name: "app", manifests, tags }] };
}

describe("retention requests (pure)", () => {
    it("a manifest whose every tag goes is one request by digest; a kept tag keeps tag-by-tag deletion", () => {
        const plan = selectDeletions(inventory(), rules({ keepLast: 1 }), NOW);
        const req = plan.repositories[0].requests;
        expect(req.repository).to.equal(false);
        expect(req.manifests).to.deep.equal([
            { digest: "m1", tags: ["a", "b", "c"] },
            { digest: "m3", tags: [] },
        ]);
        expect(req.tags).to.deep.equal([]);
        expect(countsOf([req])).to.deep.equal({ requests: 2, tags: 3, manifests: 2, repositories: 0 });
        // Without deleteUntaggedManifests the manifest stays, so its tags go one by one.
        const tagsOnly = selectDeletions(inventory(), rules({ keepLast: 1, deleteUntaggedManifests: false }), NOW)
            .repositories[0].requests;
        expect(tagsOnly.manifests).to.deep.equal([]);
        expect(tagsOnly.tags.sort()).to.deep.equal(["a", "b", "c"]);
    });

    it("the repository is one request only with deleteEmptiedRepositories and when the plan empties it", () => {
        const emptied = selectDeletions(inventory(), rules({ keepLast: 0 }), NOW).repositories[0].requests;
        expect(emptied.repository).to.equal(false); // not asked for
        const asked = selectDeletions(inventory(), rules({ keepLast: 0, deleteEmptiedRepositories: true }), NOW)
            .repositories[0].requests;
        expect(asked.repository).to.equal(true);
        expect(countsOf([asked]).requests).to.equal(1);
        const notEmptied = selectDeletions(inventory(), rules({ keepLast: 1, deleteEmptiedRepositories: true }), NOW)
            .repositories[0].requests;
        expect(notEmptied.repository).to.equal(false);
    });

    it("the budget splits in plan order, manifests first; nothing is lost or doubled", () => {
        const reqs: RepositoryRequests[] = [
            {
                name: "a",
                repository: false,
                manifests: [
                    { digest: "m1", tags: ["x", "y"] },
                    { digest: "m2", tags: [] },
                ],
                tags: ["t1", "t2"],
            },
            { name: "b", repository: true, manifests: [{ digest: "m9", tags: ["z"] }], tags: [] },
        ];
        const { now, later } = splitAtBudget(reqs, 3);
        expect(now).to.deep.equal([{ name: "a", repository: false, manifests: reqs[0].manifests, tags: ["t1"] }]);
        expect(later).to.deep.equal([{ name: "a", repository: false, manifests: [], tags: ["t2"] }, reqs[1]]);
        expect(countsOf(now).requests + countsOf(later).requests).to.equal(countsOf(reqs).requests);
        expect(splitAtBudget(reqs, 5).later).to.deep.equal([]);
    });

    it("the cost line: requests and time at the per-minute limit, and what waits", () => {
        const lines = describeCost(
            { listings: 12, deletions: 200, requestsPerMinute: 250 },
            { requests: 69, tags: 64, manifests: 64, repositories: 0 },
            200,
            "the run",
        );
        expect(lines).to.deep.equal([
            "retention: the run costs ~212 requests (12 listings + 200 deletions), about 51 s at 250 requests a minute",
            "retention: 69 more deletions (64 tags, 64 manifests) exceed maxDeletionsPerRun (200) and wait for the next pulumi up",
        ]);
        expect(
            describeCost(
                { listings: 50, deletions: 5000, requestsPerMinute: 250 },
                { requests: 0, tags: 0, manifests: 0, repositories: 0 },
                5000,
                "x",
            )[0],
        ).to.contain("about 20 min at 250");
    });

    it("the preview bounds the run: newly selected tags and manifests wait; a manifest with an unlisted tag goes tag by tag", () => {
        const previewed: RepositoryRequests[] = [
            { name: "app", repository: false, manifests: [{ digest: "m1", tags: ["a", "b"] }], tags: ["t"] },
        ];
        const current: RepositoryRequests[] = [
            {
                name: "app",
                repository: false,
                manifests: [
                    { digest: "m1", tags: ["a", "b", "new"] },
                    { digest: "m4", tags: [] },
                ],
                tags: ["t", "u"],
            },
            { name: "other", repository: false, manifests: [], tags: ["o"] },
        ];
        const { allowed, waiting } = withinBound(current, previewed);
        expect(allowed).to.deep.equal([{ name: "app", repository: false, manifests: [], tags: ["a", "b", "t"] }]);
        expect(waiting).to.deep.equal([
            {
                name: "app",
                repository: false,
                manifests: [
                    { digest: "m1", tags: ["new"] },
                    { digest: "m4", tags: [] },
                ],
                tags: ["u"],
            },
            current[1],
        ]);
        // What the preview listed and is still selected goes as planned.
        expect(withinBound(previewed, previewed)).to.deep.equal({ allowed: previewed, waiting: [] });
    });
});
