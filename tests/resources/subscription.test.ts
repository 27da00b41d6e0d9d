import { expect } from "chai";
import { PROVIDER_KEY, stripProvider, UNKNOWN } from "../../harness/engine";
import type { World } from "../../harness/world";
import { startWorld } from "../support/world";
import { useWorld } from "../support/world";

describe("Subscription through the dynamic-provider host", function () {
    const current = useWorld();
    let world: World;
    beforeEach(function () {
        world = current();
    });

    it("checks the tier: valid, unknown tier named with allowed values, unknown value at preview", async function () {
        const sub = await world.resource("Subscription", "check");
        expect((await sub.check({}, { tierSlug: "basic" })).failures).to.deep.equal([]);
        world.takeRequests();
        const bad = await sub.check({}, { tierSlug: "platinum" });
        expect(bad.failures).to.have.length(1);
        expect(bad.failures[0].property).to.equal("tierSlug");
        expect(bad.failures[0].reason).to.match(/"platinum" is not a tier; allowed: starter, basic, professional/);
        expect(world.takeRequests(), "no request for invalid input").to.deep.equal([]);
        expect((await sub.check({}, { tierSlug: UNKNOWN })).failures).to.deep.equal([]);
        const missing = await sub.check({}, {});
        expect(missing.failures.map((f) => f.property)).to.deep.equal(["tierSlug"]);
    });

    it("fails at preview for a tier the team is not eligible for, with the API's reasons", async function () {
        // check caches the options for the run (one host process): a new run sees the new account.
        const fresh = await startWorld();
        try {
            fresh.emulator.seed({
                subscriptionTier: "basic",
                registries: [
                    {
                        name: "acme",
                        region: "nyc3",
                        repositories: ["a", "b"].map((name) => ({ name, manifests: [{ tags: ["latest"] }] })),
                    },
                ],
            });
            const sub = await fresh.resource("Subscription", "eligible");
            const result = await sub.check({ tierSlug: "basic" }, { tierSlug: "starter" });
            expect(result.failures).to.have.length(1);
            expect(result.failures[0].property).to.equal("tierSlug");
            expect(result.failures[0].reason).to.match(/not eligible for the "starter" tier \(OverRepositoryLimit/);
        } finally {
            await fresh.stop();
        }
    });

    it("adopts the team's plan on create, reads, updates in place, and leaves it on delete", async function () {
        world.emulator.seed({ subscriptionTier: "basic", registries: [] });
        const sub = await world.resource("Subscription", "life");
        world.takeRequests();
        const created = await sub.create({ tierSlug: "professional" });
        expect(world.takeRequests()).to.deep.equal(["registries_update_subscription"]);
        expect(created.id).to.equal("registry-subscription");
        expect(stripProvider(created.properties)).to.include({
            tierSlug: "professional",
            tierName: "Professional",
            includedRepositories: 0,
        });
        expect(created.properties.monthlyPriceInCents).to.be.a("number");

        const same = await sub.diff(created.id, created.properties, { tierSlug: "professional" });
        expect(same.changes).to.equal("none");
        const change = await sub.diff(created.id, created.properties, { tierSlug: "basic" });
        expect(change).to.include({ changes: "some", deleteBeforeReplace: false });
        expect(change.replaces).to.deep.equal([]);

        const updated = await sub.update(created.id, created.properties, { tierSlug: "basic" });
        expect(updated.properties.tierSlug).to.equal("basic");
        expect(world.emulator.snapshot().subscription?.tier).to.equal("basic");

        world.emulator.seed({ subscriptionTier: "starter", registries: [] });
        const drifted = await sub.read(created.id, updated.properties);
        expect(drifted.properties.tierSlug).to.equal("starter");
        expect(stripProvider(drifted.inputs)).to.deep.equal({ tierSlug: "starter" });

        const imported = await sub.read("registry-subscription", { [PROVIDER_KEY]: sub.serialized });
        expect(imported.inputs.tierSlug).to.equal("starter");

        world.takeRequests();
        await sub.delete(created.id, updated.properties);
        expect(world.takeRequests(), "the API has no delete").to.deep.equal([]);
        expect(world.emulator.snapshot().subscription?.tier).to.equal("starter");
        await world.host.waitForOutput(/no longer manages it/);
    });

    it("converges through 5xx and 429 on create, read and update", async function () {
        world.emulator.seed({ subscriptionTier: "basic", registries: [] });
        world.emulator.setFaults([
            { operationId: "registries_update_subscription", status: 503, times: 2 },
            { operationId: "registries_get_subscription", status: 429, retryAfterSeconds: 0, times: 1 },
        ]);
        const sub = await world.resource("Subscription", "flaky");
        const created = await sub.create({ tierSlug: "professional" });
        expect(created.properties.tierSlug).to.equal("professional");
        const read = await sub.read(created.id, created.properties);
        expect(read.properties.tierSlug).to.equal("professional");
        world.emulator.setFaults([{ operationId: "registries_update_subscription", status: 500, times: 1 }]);
        const updated = await sub.update(created.id, created.properties, { tierSlug: "basic" });
        expect(updated.properties.tierSlug).to.equal("basic");
        expect(world.emulator.snapshot().subscription?.tier).to.equal("basic");
    });

    it("reports a team without a plan as gone on read", async function () {
        const sub = await world.resource("Subscription", "none");
        const read = await sub.read("registry-subscription", { tierSlug: "basic" });
        expect(read.id).to.equal("");
    });
});
