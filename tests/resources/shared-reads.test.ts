import { expect } from "chai";
import { DocrClient } from "../../provider/client";
import { startWorld, type World, type WorldOptions } from "../../harness/world";

/*
 * Reads and checks of one host process share the team's listing (provider/resources/shared-reads.ts).
 * Each test gets its own host: what one host shares would otherwise carry over to the next test.
 */
const REGISTRIES = Array.from({ length: 10 }, (_, i) => `acme-${i}`);

function registryState(name: string) {
    return { name, region: "fra1", serverUrl: `registry.digitalocean.com/${name}` };
}

/** What the engine hands `read` for credentials of a registry (the API cannot look them up). */
function credentialsState(registryName: string) {
    return {
        registryName,
        readWrite: false,
        expirySeconds: 0,
        dockerConfigJson: JSON.stringify({ auths: { "registry.digitalocean.com": { auth: "eA==" } } }),
        serverUrl: "registry.digitalocean.com",
        issuedAt: "2026-01-01T00:00:00.000Z",
    };
}

function count(ops: string[], op: string): number {
    return ops.filter((o) => o === op).length;
}

describe("reads and checks of one host share the team's listing", function () {
    let world: World;
    /** A team of `registries` (at most 10, the API's limit) behind a fresh host. */
    async function start(options: WorldOptions = {}, registries = REGISTRIES) {
        // The harness world leaves the window at the default users run with.
        world = await startWorld(options);
        world.emulator.seed({
            subscriptionTier: "professional",
            registries: registries.map((name) => ({ name, region: "fra1" })),
        });
        world.takeRequests();
    }
    afterEach(async function () {
        await world?.stop();
    });

    /** 10 Registry and 50 RegistryCredentials reads, all issued at once, as `pulumi refresh` does. */
    async function refresh(registries: string[], credentialsFor: string[]) {
        const reg = await world.resource("Registry", "r");
        const creds = await world.resource("RegistryCredentials", "c");
        const [regReads, credReads] = await Promise.all([
            Promise.all(registries.map((name) => reg.read(name, registryState(name)))),
            Promise.all(credentialsFor.map((name, i) => creds.read(`${name}/${i}`, credentialsState(name)))),
        ]);
        return { regReads, credReads };
    }

    it("refreshes 10 registries and 50 credentials with one listing", async function () {
        await start();
        const credentialsFor = Array.from({ length: 50 }, (_, i) => REGISTRIES[i % 10]);
        // One registry of the state is gone, and so are the credentials of it.
        const { regReads, credReads } = await refresh(
            [...REGISTRIES.slice(1), "acme-gone"],
            [...credentialsFor.slice(1), "acme-gone"],
        );
        const ops = world.takeRequests();
        expect(ops.length, ops.join(", ")).to.be.at.most(2);
        expect(ops).to.include("registries_list");
        expect(
            ops.every((op) => op === "registries_list"),
            ops.join(", "),
        ).to.equal(true);
        expect(regReads.map((r) => r.id)).to.deep.equal([...REGISTRIES.slice(1), ""]);
        expect(regReads[0].properties).to.include({ name: "acme-1", region: "fra1" });
        expect(credReads.map((r) => r.id)).to.deep.equal([
            ...credentialsFor.slice(1).map((name, i) => `${name}/${i}`),
            "",
        ]);
    });

    it("10 checks of new registries share one options request and one listing, which carries the team's tier", async function () {
        await start();
        const reg = await world.resource("Registry", "new");
        const names = Array.from({ length: 10 }, (_, i) => `acme-new-${i}`);
        const checks = await Promise.all(
            names.map((name) => reg.check({}, { name, region: "fra1", subscriptionTierSlug: "professional" })),
        );
        expect(checks.map((c) => c.failures)).to.deep.equal(names.map(() => []));
        const ops = world.takeRequests();
        expect(count(ops, "registries_get_options"), ops.join(", ")).to.equal(1);
        expect(count(ops, "registries_list"), ops.join(", ")).to.equal(1);
        expect(count(ops, "registries_validate_name"), "each new name is asked about").to.equal(10);
        // The tier checks and the plan's price compare with the team's current tier: the listing's subscription.
        expect(count(ops, "registries_get_subscription"), ops.join(", ")).to.equal(0);
        expect(ops, ops.join(", ")).to.have.length(12);
    });

    it("a read right after this host's own create sees the registry, and after its delete sees it gone", async function () {
        await start({}, REGISTRIES.slice(0, 3));
        const reg = await world.resource("Registry", "written");
        const creds = await world.resource("RegistryCredentials", "written");
        expect((await creds.read("acme-made/1", credentialsState("acme-made"))).id, "not made yet").to.equal("");
        const made = await reg.create({ name: "acme-made", region: "fra1" });
        expect((await creds.read("acme-made/1", credentialsState("acme-made"))).id, "after the create").to.equal(
            "acme-made/1",
        );
        expect((await reg.read("acme-made", made.properties)).id).to.equal("acme-made");
        await reg.delete("acme-made", made.properties);
        expect((await reg.read("acme-made", made.properties)).id, "after the delete").to.equal("");
        expect((await creds.read("acme-made/1", credentialsState("acme-made"))).id).to.equal("");
        // Three listings: before the create, after it, after the delete; the reads in between share them.
        expect(count(world.takeRequests(), "registries_list")).to.equal(3);
    });

    it("a check after this host's own create lists again: the name is the team's, not taken", async function () {
        await start({}, REGISTRIES.slice(0, 3));
        const reg = await world.resource("Registry", "claim");
        const inputs = { name: "acme-claim", region: "fra1", subscriptionTierSlug: "professional" };
        expect((await reg.check({}, inputs)).failures).to.deep.equal([]);
        await reg.create(inputs);
        // A replacement checks without old inputs: the team's own registry must not read as taken.
        expect((await reg.check({}, inputs)).failures).to.deep.equal([]);
        expect(count(world.takeRequests(), "registries_list")).to.equal(2);
    });

    it("a tier change through this host shows in the next Registry and Subscription reads", async function () {
        await start({}, ["acme-tier"]);
        const reg = await world.resource("Registry", "tier");
        const sub = await world.resource("Subscription", "tier");
        const state = { ...registryState("acme-tier"), subscriptionTierSlug: "professional" };
        const [before, plan] = await Promise.all([
            reg.read("acme-tier", state),
            sub.read("subscription", { tierSlug: "professional" }),
        ]);
        expect(before.properties.subscriptionTierSlug).to.equal("professional");
        expect(plan.properties.tierSlug).to.equal("professional");
        await reg.update("acme-tier", state, { name: "acme-tier", region: "fra1", subscriptionTierSlug: "basic" });
        expect((await reg.read("acme-tier", state)).properties.subscriptionTierSlug).to.equal("basic");
        expect((await sub.read("subscription", { tierSlug: "professional" })).properties.tierSlug).to.equal("basic");
    });

    it("adoptExisting adopts a registry made elsewhere after the listing this host shares", async function () {
        await start({}, []);
        const reg = await world.resource("Registry", "adopt");
        const inputs = { name: "acme-late", region: "fra1", subscriptionTierSlug: "professional", adoptExisting: true };
        expect((await reg.check({}, inputs)).failures).to.deep.equal([]);
        // Another stack creates it within the window: the shared listing does not show it.
        world.emulator.seed({ registries: [{ name: "acme-late", region: "fra1" }] });
        const created = await reg.create(inputs);
        expect(created.id).to.equal("acme-late");
        expect(created.properties.adoptExisting).to.equal(true);
        expect(world.emulator.snapshot().registries.map((r) => r.name)).to.deep.equal(["acme-late"]);
    });

    it("a failed listing is neither cached nor read as gone", async function () {
        await start();
        const creds = await world.resource("RegistryCredentials", "flaky");
        const reg = await world.resource("Registry", "flaky");
        world.emulator.setFaults([{ operationId: "registries_list", malformedBody: "schema" }]);
        const failed = await Promise.all([
            creds.read("acme-0/1", credentialsState("acme-0")).then(
                () => undefined,
                (e: Error) => e,
            ),
            reg.read("acme-0", registryState("acme-0")).then(
                () => undefined,
                (e: Error) => e,
            ),
        ]);
        for (const err of failed) expect(err?.message).to.match(/registries_list/);
        world.emulator.setFaults([]);
        world.takeRequests();
        expect((await creds.read("acme-0/1", credentialsState("acme-0"))).id).to.equal("acme-0/1");
        expect(world.takeRequests(), "listed again at once").to.deep.equal(["registries_list"]);
    });

    it("a change made elsewhere shows once the freshness window has passed", async function () {
        await start({ sharedReadWindowMs: 400 });
        const creds = await world.resource("RegistryCredentials", "drift");
        expect((await creds.read("acme-3/1", credentialsState("acme-3"))).id).to.equal("acme-3/1");
        // Another process (a console click, another stack) deletes the registry.
        await new DocrClient({ token: world.emulator.token, apiUrl: world.emulator.url }).deleteRegistry("acme-3");
        const started = Date.now();
        let id = (await creds.read("acme-3/1", credentialsState("acme-3"))).id;
        while (id !== "" && Date.now() - started < 10_000) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            id = (await creds.read("acme-3/1", credentialsState("acme-3"))).id;
        }
        expect(id, "drift detected").to.equal("");
        // The window is 400 ms; the rest is slack for a loaded machine (the default window is 5 s).
        expect(Date.now() - started, "soon after the window").to.be.below(3_000);
    });
});
