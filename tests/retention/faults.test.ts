/**
 * Faults mid-apply (5xx, 429, lost responses): a RetentionPolicy reports a partial failure with
 * what it deleted, converges on the next run, and never deletes anything protected. Also the
 * policy's garbage collection (start, join, freed bytes from the run).
 */
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { type BoundResource, type ProviderHost, type ProviderHostError } from "../../harness/engine";
import type { RequestCounts } from "../../provider/resources/retention/requests";
import { usePolicyWorld } from "./policy-world";
import { expectedDeletions, REGISTRY, RULES } from "./fixture";
import { live, withoutDeleted } from "./live";

describe("RetentionPolicy under faults, and its garbage collection", function () {
    this.timeout(30_000);
    const current = usePolicyWorld({ name: "faulty", gcStepMs: 25, seed: 11 });
    let emu: RunningEmulator;
    let host: ProviderHost;
    let policy: BoundResource;
    let now: number;
    beforeEach(() => ({ emu, host, policy, now } = current()));

    const inputs = (extra: Record<string, unknown> = {}) => ({ registryName: REGISTRY, ...RULES, ...extra });

    it("5xx and 429 mid-apply: partial failure names what was deleted; the retry converges; protected tags survive", async () => {
        const before = live(emu);
        const expected = expectedDeletions(now);
        const { inputs: checked } = await policy.check({}, inputs());
        emu.setFaults([
            // One manifest (build-30's: its only tag, so it goes by digest) fails on every attempt: the run cannot complete.
            {
                pathPrefix: `/v2/registries/${REGISTRY}/repositories/api/digests/sha256:m-api-30`,
                method: "DELETE",
                status: 500,
                retryAfterSeconds: 0,
            },
            // The server deletes, the response is lost: the client's retry gets 404, which counts as done.
            { operationId: "registries_delete_repositoryManifest", status: 502, afterHandling: true, times: 3 },
            { operationId: "registries_delete_repositoryTag", status: 429, retryAfterSeconds: 0, rate: 0.1 },
            { operationId: "registries_delete_repositoryTag", status: 503, retryAfterSeconds: 0, rate: 0.1 },
        ]);
        let failure: ProviderHostError | undefined;
        await policy.create(checked).catch((e: ProviderHostError) => (failure = e));
        expect(failure, "create should fail part-way").to.not.equal(undefined);
        expect(failure!.message).to.match(/stopped part-way: deleted \d+ tags and \d+ manifests; 1 deletions failed/);
        expect(failure!.message).to.contain("sha256:m-api-30");
        // The engine records what was done (the serialized provider is small in every mode, so the
        // properties fit in the init-failure detail) and the "incomplete:" digest re-runs the policy.
        expect(failure!.initFailure?.properties.planDigest).to.match(/^incomplete:/);
        expect(failure!.initFailure?.properties.deletedTags).to.be.a("number");
        const midway = live(emu);
        expect(midway.tags.get("api")).to.include("build-30");
        // Nothing outside the plan was touched, whatever failed.
        const allowed = withoutDeleted(before, expected);
        for (const [repo, tags] of allowed.tags)
            for (const t of tags) expect(midway.tags.get(repo), `${repo}:${t}`).to.include(t);
        expect(emu.requests().some((r) => r.fault?.status === 429)).to.equal(true);
        expect(emu.requests().some((r) => r.fault?.afterHandling)).to.equal(true);

        // The engine retries the create on the next `pulumi up`: the policy converges.
        emu.setFaults([]);
        const again = await policy.check({}, inputs());
        const created = await policy.create(again.inputs);
        expect(live(emu)).to.deep.equal(allowed);
        // build-30's manifest, build-30 with it; the rest was already gone.
        expect(created.properties.deletedTags).to.equal(1);
        expect(created.properties.deletedManifests).to.be.at.least(1);
        expect((created.properties.remainingDeletions as RequestCounts).requests).to.equal(0);
        expect(created.properties.planDigest).to.not.match(/^incomplete:/);
    });

    it("garbageCollect starts a run after deleting and reports the bytes the run freed", async () => {
        const { inputs: checked } = await policy.check({}, inputs({ garbageCollect: true }));
        const created = await policy.create(checked);
        expect(created.properties.freedBytesSource).to.equal("garbage-collection");
        const runs = emu.snapshot().registries.find((r) => r.name === REGISTRY)!.garbageCollections;
        expect(runs).to.have.length(1);
        expect(runs[0].type).to.equal("unreferenced blobs only");
        expect(created.properties.garbageCollectionUuid).to.equal(runs[0].uuid);
        expect(created.properties.freedBytes).to.equal(runs[0].freedBytes).and.to.be.greaterThan(0);
        expect(host.output()).to.match(/garbage collection [0-9a-f-]+: succeeded/);
    });
});
