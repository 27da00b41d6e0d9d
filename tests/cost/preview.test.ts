import { expect } from "chai";
import * as docr from "../../provider";
import type { Fixture } from "../../emulator";
import { GIB } from "../../provider/shared/cost";
import type { World } from "../../harness/world";
import { useWorld } from "../support/world";

/** A team on `tier` storing `gib` GiB in registry "acme" (one 1 GiB layer per tagged manifest, pushed a day apart). */
function team(tier: "basic" | "professional", gib: number): Fixture {
    const day = 86_400_000;
    const manifests = Array.from({ length: gib }, (_, i) => ({
        tags: [`v${i}`],
        updatedAt: new Date(Date.now() - (gib - i) * day).toISOString(),
        blobs: [{ digest: `sha256:${String(i).padStart(64, "0")}`, sizeBytes: GIB }],
    }));
    return {
        subscriptionTier: tier,
        registries: [{ name: "acme", region: "nyc3", repositories: [{ name: "api", manifests }] }],
    };
}

describe("cost at preview: plan changes, estimates and retention savings through the dynamic-provider host", function () {
    const current = useWorld();
    let world: World;
    beforeEach(function () {
        world = current();
        world.host.clearOutput();
    });

    it("a Subscription upgrade logs the price change and carries the estimate; one listing, no other request", async function () {
        world.emulator.seed(team("basic", 3));
        const sub = await world.resource("Subscription", "up");
        await sub.check({ tierSlug: "basic" }, { tierSlug: "basic" }); // the run's options, asked for once
        expect(world.host.output()).to.not.match(/registry plan/);
        world.takeRequests();
        const checked = await sub.check({ tierSlug: "basic" }, { tierSlug: "professional" });
        expect(checked.failures).to.deep.equal([]);
        expect(checked.inputs.estimatedMonthlyCostCents).to.equal(2000);
        expect(world.takeRequests()).to.deep.equal(["registries_list"]);
        const out = await world.host.waitForOutput(
            /registry plan: basic \$5\.00 → professional \$20\.00 a month \(\+\$15\.00\)/,
        );
        expect(out, "no overage on either side: no storage line").to.not.match(/current storage/);
    });

    it("a Registry's downgrade below its storage logs the overage it adds at the current usage", async function () {
        world.emulator.seed(team("professional", 7));
        const registry = await world.resource("Registry", "down");
        const olds = { name: "acme", region: "nyc3", subscriptionTierSlug: "professional" };
        const checked = await registry.check(olds, { ...olds, subscriptionTierSlug: "basic" });
        expect(checked.failures).to.deep.equal([]);
        expect(checked.inputs.estimatedMonthlyCostCents, "$5.00 + 2 GiB × $0.02").to.equal(504);
        await world.host.waitForOutput(
            "registry plan: at the team's current storage of 7 GiB: professional $20.00 (100 GiB included) → " +
                "basic $5.04 (5 GiB included, 2 GiB over at $0.02/GiB: $0.04) a month in all (-$14.96)",
        );
        expect(world.host.output()).to.include("registry plan: professional $20.00 → basic $5.00 a month (-$15.00)");
    });

    it("no line when the tier does not change, and a Registry that leaves the tier alone costs no request for it", async function () {
        world.emulator.seed(team("basic", 1));
        const registry = await world.resource("Registry", "same");
        const same = { name: "acme", region: "nyc3", subscriptionTierSlug: "basic" };
        expect((await registry.check(same, same)).inputs.estimatedMonthlyCostCents).to.equal(500);
        world.takeRequests();
        const alone = await registry.check({ name: "acme", region: "nyc3" }, { name: "acme", region: "nyc3" });
        expect(alone.inputs).to.not.have.property("estimatedMonthlyCostCents");
        expect(world.takeRequests()).to.deep.equal([]);
        expect(world.host.output()).to.not.match(/registry plan/);
        const diff = await registry.diff(
            "acme",
            { ...same, serverUrl: "x" },
            { ...same, estimatedMonthlyCostCents: 9 },
        );
        expect(diff.changes, "the estimate never makes a change").to.equal("none");
    });

    it("Subscription create, update and read, and getSubscription, output estimatedMonthlyCostCents", async function () {
        world.emulator.seed(team("basic", 7));
        const sub = await world.resource("Subscription", "outs");
        const { inputs } = await sub.check({}, { tierSlug: "basic" });
        world.takeRequests();
        const created = await sub.create(inputs);
        expect(world.takeRequests(), "the check's estimate: no listing").to.deep.equal([
            "registries_update_subscription",
        ]);
        expect(created.properties.estimatedMonthlyCostCents).to.equal(504);
        const read = await sub.read(created.id, created.properties);
        expect(read.properties.estimatedMonthlyCostCents).to.equal(504);
        const plan = await docr.getSubscription({ apiUrl: world.emulator.url, token: world.emulator.token });
        expect(plan.estimatedMonthlyCostCents).to.equal(504);
    });

    it("a RetentionPolicy preview says what its deletions save a month in overage", async function () {
        world.emulator.seed(team("basic", 7));
        const policy = await world.resource("RetentionPolicy", "save");
        const checked = await policy.check({}, { registryName: "acme", keepLast: 3, deleteUntaggedManifests: true });
        expect(checked.failures).to.deep.equal([]);
        await world.host.waitForOutput(
            'retention: registry "acme": freeing ~4 GiB once garbage-collected saves $0.04 a month in storage overage ' +
                "(team storage 7 GiB → 3 GiB; basic includes 5 GiB, $0.02/GiB beyond)",
        );
        world.host.clearOutput();
        world.emulator.reset();
        world.emulator.seed(team("basic", 4));
        await policy.check({}, { registryName: "acme", keepLast: 3, deleteUntaggedManifests: true });
        await world.host.waitForOutput(/retention: registry "acme": would delete 1 tags/);
        expect(world.host.output(), "within the included storage: nothing saved, nothing said").to.not.match(/a month/);
    });
});
