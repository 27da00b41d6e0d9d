/**
 * RetentionPolicy through the real dynamic-provider host against the emulator: preview plan,
 * apply, protection, dry run, re-apply, validation, runEvery.
 */
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { planDigest, type PlanSummary } from "../../provider/resources/retention/summary";
import {
    bindResource,
    type BoundResource,
    type ProviderHost,
    startProviderHost,
    stripProvider,
    UNKNOWN,
    urn,
} from "../../harness/engine";
import { usePolicyWorld } from "./policy-world";
import { expectedDeletions, expectedFreedBytes, REGISTRY, RULES } from "./fixture";
import { HOST_ENV, live, protectedTags, withoutDeleted } from "./live";

describe("RetentionPolicy through the engine protocol", function () {
    this.timeout(30_000);
    const current = usePolicyWorld({ name: "keep-recent", gcStepMs: 20, seed: 7 });
    let emu: RunningEmulator;
    let host: ProviderHost;
    let policy: BoundResource;
    let now: number;
    beforeEach(() => ({ emu, host, policy, now } = current()));

    const inputs = (extra: Record<string, unknown> = {}) => ({ registryName: REGISTRY, ...RULES, ...extra });

    it("preview (check) plans exactly the tags and manifests the rules select, and logs the damage", async () => {
        const expected = expectedDeletions(now);
        const { inputs: checked, failures } = await policy.check({}, inputs());
        expect(failures).to.deep.equal([]);
        expect(checked.planDigest).to.equal(planDigest({ registryName: REGISTRY, repositories: expected }));
        // The digest is sensitive: one tag less selected gives another digest.
        const oneLess = expected.map((r, i) => (i === 0 ? { ...r, tags: r.tags.slice(1) } : r));
        expect(checked.planDigest).to.not.equal(planDigest({ registryName: REGISTRY, repositories: oneLess }));
        const total = expected.reduce((s, r) => s + r.tags.length, 0);
        const out = await host.waitForOutput(/would delete \d+ tags/);
        expect(out).to.contain(
            `would delete ${total} tags and ${expected.reduce((s, r) => s + r.manifests.length, 0)} manifests in 3 repositories`,
        );
        for (const r of expected) expect(out).to.contain(`${r.name}: ${r.tags.length} tags`);
        expect(total).to.be.greaterThan(200);
        expect(emu.requests().filter((r) => r.method === "DELETE")).to.have.length(0);
    });

    it("apply deletes exactly the planned tags and manifests; protected tags survive; re-apply deletes nothing new", async () => {
        const before = live(emu);
        const expected = expectedDeletions(now);
        const { inputs: checked } = await policy.check({}, inputs());
        const created = await policy.create(checked);
        expect(live(emu)).to.deep.equal(withoutDeleted(before, expected));
        for (const [repo, tags] of protectedTags(before))
            for (const tag of tags) expect(live(emu).tags.get(repo)).to.include(tag);
        expect(live(emu).tags.get("tools/ci")).to.deep.equal(before.tags.get("tools/ci"));
        const props = created.properties;
        expect(props.deletedTags).to.equal(expected.reduce((s, r) => s + r.tags.length, 0));
        expect(props.deletedManifests).to.equal(expected.reduce((s, r) => s + r.manifests.length, 0));
        expect(props.freedBytesSource).to.equal("estimate");
        expect((props.plannedDeletions as PlanSummary).repositories.map((r) => r.name)).to.deep.equal([
            "api",
            "web/admin",
            "web/frontend",
        ]);
        // Layers still used (the shared base, dependency layers of kept builds) are not counted.
        expect(props.freedBytes).to.equal(expectedFreedBytes(now)).and.to.be.greaterThan(0);

        emu.clearRequests();
        const again = await policy.check(props, inputs());
        expect(again.inputs.planDigest).to.equal(props.planDigest);
        expect((await policy.diff(created.id, props, again.inputs)).changes).to.equal("none");
        const updated = await policy.update(created.id, props, again.inputs);
        expect(updated.properties.deletedTags).to.equal(0);
        expect(updated.properties.deletedManifests).to.equal(0);
        expect(emu.requests().filter((r) => r.method === "DELETE")).to.have.length(0);

        await policy.delete(created.id, updated.properties);
        expect(emu.requests().filter((r) => r.method === "DELETE")).to.have.length(0);
    });

    it("dryRun deletes nothing and reports the plan; turning it off is a change", async () => {
        const before = live(emu);
        const { inputs: checked } = await policy.check({}, inputs({ dryRun: true }));
        const created = await policy.create(checked);
        expect(live(emu)).to.deep.equal(before);
        expect(emu.requests().filter((r) => r.method === "DELETE")).to.have.length(0);
        expect(stripProvider(created.properties)).to.include({
            deletedTags: 0,
            deletedManifests: 0,
            freedBytesSource: "none",
        });
        expect((created.properties.plannedDeletions as PlanSummary).tags).to.equal(
            expectedDeletions(now).reduce((s, r) => s + r.tags.length, 0),
        );
        expect(host.output()).to.contain("dry run, would delete");
        const same = await policy.check(created.properties, inputs({ dryRun: true }));
        expect((await policy.diff(created.id, created.properties, same.inputs)).changes).to.equal("none");
        const real = await policy.check(created.properties, inputs());
        expect((await policy.diff(created.id, created.properties, real.inputs)).changes).to.equal("some");
    });

    it("a new deletable tag or runEvery elapsing makes diff report a change (offline)", async () => {
        const { inputs: checked } = await policy.check({}, inputs({ runEvery: "24h" }));
        const created = await policy.create(checked);
        emu.clearRequests();
        const fresh = await policy.check(created.properties, inputs({ runEvery: "24h" }));
        expect((await policy.diff(created.id, created.properties, fresh.inputs)).changes).to.equal("none");
        const stale = { ...created.properties, lastRunAt: new Date(now - 25 * 3_600_000).toISOString() };
        expect((await policy.diff(created.id, stale, fresh.inputs)).changes).to.equal("some");
        const requests = emu.requests().length;
        await policy.diff(created.id, stale, fresh.inputs);
        expect(emu.requests().length).to.equal(requests); // diff makes no API call
        // Lowering keepLast makes more tags deletable: the digest and the diff change.
        const more = await policy.check(created.properties, inputs({ runEvery: "24h", keepLast: 15 }));
        expect(more.inputs.planDigest).to.not.equal(created.properties.planDigest);
    });

    it("check rejects bad inputs by field name and tolerates unknown values", async () => {
        const { failures } = await policy.check(
            {},
            inputs({
                keepLast: -1,
                keepTagsMatching: ["^v(", "ok"],
                runEvery: "soon",
                repositories: [""],
                olderThanDays: -2,
            }),
        );
        const byField = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
        expect(Object.keys(byField).sort()).to.deep.equal([
            "keepLast",
            "keepTagsMatching.0",
            "olderThanDays",
            "repositories.0",
            "runEvery",
        ]);
        expect(byField["keepTagsMatching.0"]).to.contain("not a valid regular expression");
        expect(byField.runEvery).to.contain("not a duration");
        const unknown = await policy.check({}, inputs({ keepLast: UNKNOWN }));
        expect(unknown.failures).to.deep.equal([]);
        expect(unknown.inputs.planDigest).to.equal(undefined);
    });

    it("without a token, check plans nothing and fails nothing", async () => {
        const bare = await startProviderHost({ env: HOST_ENV });
        try {
            await bare.configure({ "digitalocean:apiUrl": emu.url });
            const p = bindResource(bare, policy.serialized, urn("docr:RetentionPolicy", "no-token"));
            const { inputs: checked, failures } = await p.check({}, inputs());
            expect(failures).to.deep.equal([]);
            expect(checked.planDigest).to.equal(undefined);
            expect(emu.requests()).to.have.length(0);
        } finally {
            await bare.stop();
        }
    });
});
