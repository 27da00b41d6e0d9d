import { expect } from "chai";
import { PROVIDER_KEY, stripProvider, UNKNOWN } from "../../harness/engine";
import { type World } from "../../harness/world";
import { useWorld } from "../support/world";

describe("Registry through the dynamic-provider host", function () {
    const current = useWorld();
    let world: World;
    beforeEach(function () {
        world = current();
    });

    async function createRegistry(name: string, extra: Record<string, unknown> = {}) {
        const reg = await world.resource("Registry", name);
        const checked = await reg.check({}, { name, subscriptionTierSlug: "basic", region: "fra1", ...extra });
        expect(checked.failures).to.deep.equal([]);
        const created = await reg.create(checked.inputs);
        return { reg, checked, created };
    }

    describe("check", function () {
        it("accepts valid inputs and asks the API about region, tier and name", async function () {
            const reg = await world.resource("Registry", "ok");
            const result = await reg.check({}, { name: "acme-dev", region: "nyc3", subscriptionTierSlug: "basic" });
            expect(result.failures).to.deep.equal([]);
            expect(stripProvider(result.inputs)).to.deep.equal({
                name: "acme-dev",
                region: "nyc3",
                subscriptionTierSlug: "basic",
                estimatedMonthlyCostCents: 500, // the plan's cost, for policies (tests/cost)
            });
            // The listing again (this world shares none: window 0) and the subscription: a team
            // without registries may still have a plan, whose price the preview compares.
            expect(world.takeRequests()).to.have.members([
                "registries_get_options",
                "registries_list",
                "registries_validate_name",
                "registries_list",
                "registries_get_subscription",
            ]);
        });

        const invalid: [string, Record<string, unknown>, string, RegExp][] = [
            ["upper case name", { name: "Acme" }, "name", /lowercase letters, digits and '-'/],
            ["64-character name", { name: "a".repeat(64) }, "name", /at most 63 characters/],
            ["empty name", { name: "" }, "name", /must not be empty/],
            ["number as name", { name: 42 }, "name", /must be a string/],
            [
                "unknown tier",
                { name: "acme", subscriptionTierSlug: "gold" },
                "subscriptionTierSlug",
                /starter, basic, professional/,
            ],
            ["malformed region", { name: "acme", region: "NYC 3" }, "region", /not a region slug/],
            ["unknown field", { name: "acme", colour: "blue" }, "colour", /unknown input "colour"/],
        ];
        for (const [label, news, property, reason] of invalid) {
            it(`rejects ${label} naming ${property}, before any request`, async function () {
                const reg = await world.resource("Registry", "bad");
                const result = await reg.check({}, news);
                expect(result.failures.map((f) => f.property)).to.include(property);
                expect(result.failures.map((f) => f.reason).join("\n")).to.match(reason);
                expect(world.takeRequests()).to.deep.equal([]);
            });
        }

        it("fails at preview for a region the API does not offer", async function () {
            const reg = await world.resource("Registry", "region");
            const result = await reg.check({}, { name: "acme", region: "xyz9", subscriptionTierSlug: "basic" });
            expect(result.failures).to.have.length(1);
            expect(result.failures[0].property).to.equal("region");
            expect(result.failures[0].reason).to.match(/"xyz9" is not available.*nyc3/);
        });

        it("fails at preview for a name another team holds", async function () {
            world.emulator.seed({ takenNames: ["taken-name"], registries: [] });
            const reg = await world.resource("Registry", "taken");
            const result = await reg.check({}, { name: "taken-name", subscriptionTierSlug: "basic" });
            expect(result.failures.map((f) => f.property)).to.deep.equal(["name"]);
            expect(result.failures[0].reason).to.match(/already taken .*not one of this team's registries/);
        });

        it("accepts the name of the team's own registry when the stack replaces it: the engine checks again without old inputs, after the diff", async function () {
            world.emulator.seed({ subscriptionTier: "basic", registries: [{ name: "acme-own", region: "fra1" }] });
            const reg = await world.resource("Registry", "replaced");
            const news = { name: "acme-own", region: "ams3", subscriptionTierSlug: "basic" };
            const olds = { name: "acme-own", region: "fra1", serverUrl: "registry.digitalocean.com/acme-own" };
            expect((await reg.check({ name: "acme-own", region: "fra1" }, news)).failures).to.deep.equal([]);
            expect((await reg.diff("acme-own", olds, news)).replaces).to.deep.equal(["region"]);
            expect((await reg.check({}, news)).failures).to.deep.equal([]);
        });

        it("fails at preview for a new Registry named like one of the team's registries, naming it and both ways forward", async function () {
            world.emulator.seed({ subscriptionTier: "basic", registries: [{ name: "acme-kept", region: "fra1" }] });
            const reg = await world.resource("Registry", "new");
            const result = await reg.check({}, { name: "acme-kept", region: "fra1" });
            expect(result.failures.map((f) => f.property)).to.deep.equal(["name"]);
            expect(result.failures[0].reason).to.equal(
                `name: registry "acme-kept" is already one of this team's registries: to manage it with this stack, import it ` +
                    "(`npx docr-import --registry acme-kept --out import.json`, then `pulumi import --file import.json --generate-code=false`) " +
                    "or set adoptExisting: true on the Registry; or choose another name. If an interrupted pulumi up of this " +
                    "stack created it on another machine (pulumi stack export lists it under pending_operations), adopt it " +
                    "with: `DOCR_ADOPT_REGISTRY=acme-kept pulumi up`",
            );
            const adopting = await reg.check({}, { name: "acme-kept", region: "fra1", adoptExisting: true });
            expect(adopting.failures).to.deep.equal([]);
        });

        it("fails at preview for a second registry below the professional tier, naming the team's registry and the fix", async function () {
            world.emulator.seed({ subscriptionTier: "basic", registries: [{ name: "acme-first", region: "fra1" }] });
            const reg = await world.resource("Registry", "second");
            const result = await reg.check({}, { name: "acme-second", region: "fra1" });
            expect(result.failures.map((f) => f.property)).to.deep.equal(["subscriptionTierSlug"]);
            expect(result.failures[0].reason).to.match(
                /already has a registry \(acme-first\) and more than one registry needs the "professional" tier \(the team is on "basic"\)/,
            );
            const professional = await reg.check(
                {},
                { name: "acme-second", region: "fra1", subscriptionTierSlug: "professional" },
            );
            expect(professional.failures).to.deep.equal([]);
        });

        it("a second registry asking for a tier below professional: names the team's tier and the one asked for, apart", async function () {
            world.emulator.seed({ subscriptionTier: "starter", registries: [{ name: "acme-first", region: "fra1" }] });
            const reg = await world.resource("Registry", "second-basic");
            const result = await reg.check({}, { name: "acme-second", region: "fra1", subscriptionTierSlug: "basic" });
            expect(result.failures.map((f) => f.property)).to.deep.equal(["subscriptionTierSlug"]);
            expect(result.failures[0].reason).to.include(
                '(the team is on "starter", and this registry asks for "basic")',
            );
        });

        it("does not ask whether an unchanged name is free (it is ours)", async function () {
            const reg = await world.resource("Registry", "same");
            await reg.check({ name: "acme" }, { name: "acme" });
            expect(world.takeRequests()).to.not.include("registries_validate_name");
        });

        it("lets unknown values through during preview", async function () {
            const reg = await world.resource("Registry", "unknown");
            const result = await reg.check({}, { name: UNKNOWN, region: UNKNOWN, subscriptionTierSlug: "basic" });
            expect(result.failures).to.deep.equal([]);
            expect(result.inputs.name).to.equal(UNKNOWN);
        });
    });

    describe("lifecycle", function () {
        it("creates with one request and reports every output", async function () {
            world.takeRequests();
            const reg = await world.resource("Registry", "create");
            const created = await reg.create({ name: "acme-create", region: "fra1", subscriptionTierSlug: "basic" });
            expect(world.takeRequests()).to.deep.equal(["registries_create"]);
            expect(created.id).to.equal("acme-create");
            const outs = stripProvider(created.properties);
            expect(outs).to.include({
                name: "acme-create",
                region: "fra1",
                subscriptionTierSlug: "basic",
                serverUrl: "registry.digitalocean.com/acme-create",
            });
            expect(outs.createdAt).to.be.a("string");
            expect(outs.storageUsageBytes).to.be.a("number");
            expect(world.emulator.snapshot().registries.map((r) => r.name)).to.deep.equal(["acme-create"]);
        });

        it("reads present, drifted and gone registries", async function () {
            const { reg, created } = await createRegistry("acme-read");
            world.takeRequests();
            const present = await reg.read(created.id, created.properties);
            expect(world.takeRequests()).to.deep.equal(["registries_list"]);
            expect(present.id).to.equal("acme-read");
            expect(stripProvider(present.properties)).to.include({ region: "fra1", subscriptionTierSlug: "basic" });

            world.emulator.seed({ subscriptionTier: "professional", registries: [] });
            const drifted = await reg.read(created.id, created.properties);
            expect(drifted.properties.subscriptionTierSlug).to.equal("professional");
            expect(drifted.inputs.subscriptionTierSlug).to.equal("professional");

            await world.host.delete(created.id, reg.urn, created.properties);
            const gone = await reg.read(created.id, created.properties);
            expect(gone.id).to.equal("");
        });

        it("refreshing a registry whose stack leaves the tier alone never starts managing it", async function () {
            const { reg, created } = await createRegistry("acme-untiered");
            const unmanaged = { ...created.properties };
            delete unmanaged.subscriptionTierSlug;
            const first = await reg.read(created.id, unmanaged);
            expect(first.properties.subscriptionTierSlug).to.equal(undefined);
            const second = await reg.read(created.id, first.properties);
            expect(second.inputs.subscriptionTierSlug).to.equal(undefined);
        });

        it("shows region drift on refresh", async function () {
            const { reg, created } = await createRegistry("acme-moved");
            world.emulator.reset();
            world.emulator.seed({
                subscriptionTier: "basic",
                registries: [{ name: "acme-moved", region: "sgp1", repositories: [] }],
            });
            const read = await reg.read(created.id, created.properties);
            expect(read.properties.region).to.equal("sgp1");
            const diff = await reg.diff(created.id, read.properties, { name: "acme-moved", region: "fra1" });
            expect(diff.replaces).to.deep.equal(["region"]);
        });

        it("imports from the id alone, returning inputs", async function () {
            const { reg, created } = await createRegistry("acme-import");
            const imported = await reg.read(created.id, { [PROVIDER_KEY]: reg.serialized });
            expect(imported.id).to.equal("acme-import");
            expect(stripProvider(imported.inputs)).to.deep.equal({
                name: "acme-import",
                region: "fra1",
                subscriptionTierSlug: "basic",
            });
        });

        it("diffs without requests: none, in place, replace", async function () {
            const { reg, created } = await createRegistry("acme-diff");
            world.takeRequests();
            const olds = created.properties;
            const same = await reg.diff(created.id, olds, {
                name: "acme-diff",
                region: "fra1",
                subscriptionTierSlug: "basic",
            });
            expect(same.changes).to.equal("none");
            const omitted = await reg.diff(created.id, olds, { name: "acme-diff" });
            expect(omitted.changes, "omitting region or tier keeps what exists").to.equal("none");
            const tier = await reg.diff(created.id, olds, {
                name: "acme-diff",
                region: "fra1",
                subscriptionTierSlug: "professional",
            });
            expect(tier).to.include({ changes: "some", deleteBeforeReplace: false });
            expect(tier.replaces).to.deep.equal([]);
            const region = await reg.diff(created.id, olds, { name: "acme-diff", region: "ams3" });
            expect(region).to.include({ changes: "some", deleteBeforeReplace: true });
            expect(region.replaces).to.deep.equal(["region"]);
            const rename = await reg.diff(created.id, olds, { name: UNKNOWN });
            expect(rename.replaces).to.deep.equal(["name"]);
            expect(world.takeRequests()).to.deep.equal([]);
        });

        it("updates the tier in place with one request", async function () {
            const { reg, created } = await createRegistry("acme-update");
            world.takeRequests();
            const updated = await reg.update(created.id, created.properties, {
                name: "acme-update",
                region: "fra1",
                subscriptionTierSlug: "professional",
            });
            expect(world.takeRequests()).to.deep.equal(["registries_update_subscription"]);
            expect(updated.properties.subscriptionTierSlug).to.equal("professional");
            expect(world.emulator.snapshot().subscription?.tier).to.equal("professional");
        });

        it("deletes, and deleting what is already gone succeeds", async function () {
            const { reg, created } = await createRegistry("acme-delete");
            world.takeRequests();
            await reg.delete(created.id, created.properties);
            expect(world.takeRequests()).to.deep.equal(["registries_delete"]);
            expect(world.emulator.snapshot().registries).to.deep.equal([]);
            await reg.delete(created.id, created.properties);
        });

        it("fails a create on another team's name, even with adoptExisting, saying it is not this team's", async function () {
            world.emulator.seed({ takenNames: ["someone-elses"], registries: [] });
            const reg = await world.resource("Registry", "conflict");
            for (const adoptExisting of [false, true]) {
                const err = await reg
                    .create({ name: "someone-elses", subscriptionTierSlug: "basic", adoptExisting })
                    .then(
                        () => undefined,
                        (e: Error) => e,
                    );
                expect(err?.message).to.match(/registry "someone-elses" already exists and is not this team's/);
            }
            expect(world.emulator.snapshot().registries).to.deep.equal([]);
        });

        it("a create on the team's own name fails with 409 and says how to import or adopt it", async function () {
            world.emulator.seed({ subscriptionTier: "basic", registries: [{ name: "acme-mine", region: "fra1" }] });
            const reg = await world.resource("Registry", "mine");
            const err = await reg.create({ name: "acme-mine", region: "fra1" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(
                /already exists in this team: .*`npx docr-import --registry acme-mine .*set adoptExisting: true/,
            );
        });

        it("adoptExisting manages the team's registry (one list, no create), sets the tier, and destroy deletes it", async function () {
            world.emulator.seed({ subscriptionTier: "basic", registries: [{ name: "acme-mine", region: "fra1" }] });
            const reg = await world.resource("Registry", "mine");
            world.takeRequests();
            const created = await reg.create({
                name: "acme-mine",
                region: "fra1",
                subscriptionTierSlug: "professional",
                adoptExisting: true,
            });
            expect(created.id).to.equal("acme-mine");
            expect(created.properties.region).to.equal("fra1");
            expect(created.properties.subscriptionTierSlug).to.equal("professional");
            expect(world.takeRequests()).to.deep.equal(["registries_list", "registries_update_subscription"]);
            expect(world.host.output()).to.include("adopted the team's existing registry");
            await reg.delete(created.id, created.properties);
            expect(world.emulator.snapshot().registries).to.deep.equal([]);
        });

        it("adoptExisting refuses the team's registry in another region, naming both; without a registry it creates one", async function () {
            world.emulator.seed({ subscriptionTier: "basic", registries: [{ name: "acme-mine", region: "fra1" }] });
            const reg = await world.resource("Registry", "mine");
            const err = await reg.create({ name: "acme-mine", region: "nyc3", adoptExisting: true }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(
                /"acme-mine" of this team is in region "fra1", not "nyc3": set region: "fra1"/,
            );
            world.emulator.reset();
            const created = await reg.create({
                name: "acme-fresh",
                region: "nyc3",
                subscriptionTierSlug: "basic",
                adoptExisting: true,
            });
            expect(world.emulator.snapshot().registries.map((r) => [r.name, r.region])).to.deep.equal([
                ["acme-fresh", "nyc3"],
            ]);
            await reg.delete(created.id, created.properties);
        });
    });

    describe("faults", function () {
        it("adopts a registry whose create response was lost", async function () {
            world.emulator.setFaults([
                { operationId: "registries_create", dropConnection: true, afterHandling: true, times: 1 },
            ]);
            const reg = await world.resource("Registry", "lost");
            const created = await reg.create({ name: "acme-lost", region: "fra1", subscriptionTierSlug: "basic" });
            expect(created.id).to.equal("acme-lost");
            const ops = world.takeRequests();
            expect(ops.filter((op) => op === "registries_create")).to.have.length(1);
            expect(world.emulator.snapshot().registries.map((r) => r.name)).to.deep.equal(["acme-lost"]);
            await world.host.waitForOutput(/adopted it/);
        });

        it("creates through a 429 (a refusal: sent again after Retry-After)", async function () {
            world.emulator.setFaults([
                { operationId: "registries_create", status: 429, retryAfterSeconds: 0, times: 1 },
            ]);
            const reg = await world.resource("Registry", "limited");
            const created = await reg.create({ name: "acme-limited", subscriptionTierSlug: "basic" });
            expect(created.id).to.equal("acme-limited");
            expect(world.takeRequests().filter((op) => op === "registries_create")).to.have.length(2);
            expect(world.emulator.snapshot().registries.map((r) => r.name)).to.deep.equal(["acme-limited"]);
        });

        it("adopts a registry whose create answered 5xx after acting", async function () {
            world.emulator.setFaults([
                { operationId: "registries_create", status: 502, afterHandling: true, times: 1 },
            ]);
            const reg = await world.resource("Registry", "acted");
            const created = await reg.create({ name: "acme-acted", region: "fra1", subscriptionTierSlug: "basic" });
            expect(created.id).to.equal("acme-acted");
            expect(world.takeRequests().filter((op) => op === "registries_create")).to.have.length(1);
        });

        it("reports a 5xx create that did not act, without creating anything", async function () {
            world.emulator.setFaults([{ operationId: "registries_create", status: 500, times: 1 }]);
            const reg = await world.resource("Registry", "failed");
            const err = await reg.create({ name: "acme-failed", subscriptionTierSlug: "basic" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(/registries_create.*500/);
            expect(world.emulator.snapshot().registries).to.deep.equal([]);
        });

        it("does not adopt a registry that existed before the create", async function () {
            world.emulator.seed({
                subscriptionTier: "professional",
                registries: [{ name: "acme-old", region: "fra1", createdAt: "2020-01-01T00:00:00Z", repositories: [] }],
            });
            world.emulator.setFaults([{ operationId: "registries_create", dropConnection: true, times: 1 }]);
            const reg = await world.resource("Registry", "old");
            const err = await reg.create({ name: "acme-old", region: "fra1" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err, "create must fail rather than take over an older registry").to.be.instanceOf(Error);
        });

        it("converges through 5xx and 429 on every retried operation", async function () {
            const { reg, created } = await createRegistry("acme-flaky");
            world.emulator.setFaults([
                { operationId: "registries_list", status: 503, times: 2 },
                { operationId: "registries_update_subscription", status: 429, retryAfterSeconds: 0, times: 1 },
                { operationId: "registries_delete", status: 500, times: 1 },
            ]);
            const read = await reg.read(created.id, created.properties);
            expect(read.id).to.equal("acme-flaky");
            const updated = await reg.update(created.id, created.properties, {
                name: "acme-flaky",
                subscriptionTierSlug: "professional",
            });
            expect(updated.properties.subscriptionTierSlug).to.equal("professional");
            await reg.delete(created.id, created.properties);
            expect(world.emulator.snapshot().registries).to.deep.equal([]);
        });
    });
});

// Its own host: check caches the registry options (and their eligibility) for the host's run.
describe("Registry check on a team with several registries", function () {
    const world = useWorld({
        seed: {
            subscriptionTier: "professional",
            registries: [{ name: "r-one" }, { name: "r-two" }, { name: "r-three" }],
        },
    });
    it("a team with three registries asked for basic: the advice names the registry limit, not repositories or storage", async function () {
        const reg = await world().resource("Registry", "downgrade");
        const result = await reg.check(
            { name: "r-one", subscriptionTierSlug: "professional" },
            { name: "r-one", subscriptionTierSlug: "basic" },
        );
        expect(result.failures.map((f) => f.property)).to.deep.equal(["subscriptionTierSlug"]);
        expect(result.failures[0].reason).to.match(
            /has 3 registries \(r-one, r-two, r-three\) and more than one registry needs the "professional" tier/,
        );
        expect(result.failures[0].reason).to.not.match(/no reason given|reduce repositories/);
    });
});
