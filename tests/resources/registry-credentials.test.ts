import { expect } from "chai";
import { PROVIDER_KEY, stripProvider, UNKNOWN } from "../../harness/engine";
import { WORLD_TOKEN, type World } from "../../harness/world";
import { useWorld } from "../support/world";

/** The docker config a RegistryCredentials issues. */
interface DockerConfig {
    auths: Record<string, { auth: string }>;
}

describe("RegistryCredentials through the dynamic-provider host", function () {
    const current = useWorld({
        seed: { subscriptionTier: "basic", registries: [{ name: "acme", region: "nyc3", repositories: [] }] },
    });
    let world: World;
    beforeEach(function () {
        world = current();
    });

    describe("check", function () {
        it("fills defaults: pull only, never expires", async function () {
            const creds = await world.resource("RegistryCredentials", "defaults");
            const result = await creds.check({}, { registryName: "acme" });
            expect(result.failures).to.deep.equal([]);
            expect(stripProvider(result.inputs)).to.deep.equal({
                registryName: "acme",
                readWrite: false,
                expirySeconds: 0,
            });
        });

        const invalid: [string, Record<string, unknown>, string, RegExp][] = [
            [
                "negative expiry",
                { registryName: "acme", expirySeconds: -1 },
                "expirySeconds",
                /0 \(never expires\) or more/,
            ],
            ["fractional expiry", { registryName: "acme", expirySeconds: 1.5 }, "expirySeconds", /whole number/],
            ["expiry as a string", { registryName: "acme", expirySeconds: "3600" }, "expirySeconds", /whole number/],
            ["huge expiry", { registryName: "acme", expirySeconds: 2 ** 40 }, "expirySeconds", /at most 2147483647/],
            ["readWrite as a string", { registryName: "acme", readWrite: "yes" }, "readWrite", /true or false/],
            [
                "renew window as long as the lifetime",
                { registryName: "acme", expirySeconds: 60, renewBeforeSeconds: 60 },
                "renewBeforeSeconds",
                /less than expirySeconds/,
            ],
            ["bad registry name", { registryName: "ACME" }, "registryName", /lowercase/],
        ];
        for (const [label, news, property, reason] of invalid) {
            it(`rejects ${label} naming ${property}`, async function () {
                const creds = await world.resource("RegistryCredentials", "bad");
                world.takeRequests();
                const result = await creds.check({}, news);
                expect(result.failures.map((f) => f.property)).to.include(property);
                expect(result.failures.map((f) => f.reason).join("\n")).to.match(reason);
                expect(world.takeRequests()).to.deep.equal([]);
            });
        }

        it("lets an unknown registry name through at preview", async function () {
            const creds = await world.resource("RegistryCredentials", "unknown");
            const result = await creds.check({}, { registryName: UNKNOWN, expirySeconds: 3600 });
            expect(result.failures).to.deep.equal([]);
            expect(result.inputs.registryName).to.equal(UNKNOWN);
        });
    });

    it("issues expiring push credentials with one request", async function () {
        const creds = await world.resource("RegistryCredentials", "push");
        world.takeRequests();
        const before = Date.now();
        const created = await creds.create({ registryName: "acme", readWrite: true, expirySeconds: 3600 });
        expect(world.takeRequests()).to.deep.equal(["registries_get_dockerCredentials"]);
        const outs = stripProvider(created.properties);
        const config = JSON.parse(String(outs.dockerConfigJson)) as DockerConfig;
        expect(config.auths["registry.digitalocean.com"].auth).to.be.a("string").and.not.equal("");
        expect(outs.serverUrl).to.equal("registry.digitalocean.com");
        const expiresAt = Date.parse(String(outs.expiresAt));
        expect(expiresAt).to.be.within(before + 3_599_000, Date.now() + 3_600_000);
        const issued = world.emulator.credentials();
        expect(issued).to.have.length(1);
        expect(issued[0]).to.include({ registry: "acme", readWrite: true, expirySeconds: 3600 });
        expect(outs.dockerConfigJson).to.not.include(WORLD_TOKEN);
    });

    it("issues never-expiring pull credentials for expirySeconds 0, which never rotate", async function () {
        const creds = await world.resource("RegistryCredentials", "pull");
        const created = await creds.create({ registryName: "acme", readWrite: false, expirySeconds: 0 });
        expect(created.properties.expiresAt).to.equal(undefined);
        expect(world.emulator.credentials()[0]).to.include({ readWrite: false, expiresAt: null });
        const diff = await creds.diff(created.id, created.properties, {
            registryName: "acme",
            readWrite: false,
            expirySeconds: 0,
        });
        expect(diff.changes).to.equal("none");
    });

    it("replaces (create before delete) on any input change", async function () {
        const creds = await world.resource("RegistryCredentials", "change");
        const created = await creds.create({ registryName: "acme", readWrite: false, expirySeconds: 3600 });
        const diff = await creds.diff(created.id, created.properties, {
            registryName: "acme",
            readWrite: true,
            expirySeconds: 3600,
        });
        expect(diff).to.include({ changes: "some", deleteBeforeReplace: false });
        expect(diff.replaces).to.deep.equal(["readWrite"]);
        const same = await creds.diff(created.id, created.properties, {
            registryName: "acme",
            readWrite: false,
            expirySeconds: 3600,
        });
        expect(same.changes).to.equal("none");
    });

    it("rotates on up inside the renew window (default: a tenth of the lifetime)", async function () {
        const creds = await world.resource("RegistryCredentials", "rotate");
        const created = await creds.create({ registryName: "acme", readWrite: true, expirySeconds: 3600 });
        const inputs = { registryName: "acme", readWrite: true, expirySeconds: 3600 };
        const fresh = await creds.diff(created.id, created.properties, inputs);
        expect(fresh.changes, "fresh credentials stay").to.equal("none");
        // 7 minutes left of 60: inside the default 6-minute window? No: 7 > 6. 5 minutes left: yes.
        const at = (minutesLeft: number) => ({
            ...created.properties,
            expiresAt: new Date(Date.now() + minutesLeft * 60_000).toISOString(),
        });
        expect((await creds.diff(created.id, at(7), inputs)).changes).to.equal("none");
        const due = await creds.diff(created.id, at(5), inputs);
        expect(due).to.include({ changes: "some", deleteBeforeReplace: false });
        expect(due.replaces).to.deep.equal(["expiresAt"]);
        expect((await creds.diff(created.id, at(-1), inputs)).replaces, "expired").to.deep.equal(["expiresAt"]);
        const custom = await creds.diff(
            created.id,
            { ...at(20), renewBeforeSeconds: 1800 },
            { ...inputs, renewBeforeSeconds: 1800 },
        );
        expect(custom.replaces, "explicit renewBeforeSeconds").to.deep.equal(["expiresAt"]);
    });

    it("reads from state while the registry exists, and reports them gone with it", async function () {
        const creds = await world.resource("RegistryCredentials", "read");
        const created = await creds.create({ registryName: "acme", readWrite: false, expirySeconds: 600 });
        world.takeRequests();
        const read = await creds.read(created.id, created.properties);
        expect(world.takeRequests()).to.deep.equal(["registries_list"]);
        expect(read.properties.dockerConfigJson).to.equal(created.properties.dockerConfigJson);
        world.emulator.reset();
        expect((await creds.read(created.id, created.properties)).id).to.equal("");
    });

    it("refuses import with a clear message (the API cannot look credentials up)", async function () {
        const creds = await world.resource("RegistryCredentials", "import");
        const err = await creds.read("acme/x", { [PROVIDER_KEY]: creds.serialized }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.match(/cannot be imported/);
    });

    it("deletes without a request", async function () {
        const creds = await world.resource("RegistryCredentials", "delete");
        const created = await creds.create({ registryName: "acme", readWrite: false, expirySeconds: 0 });
        world.takeRequests();
        await creds.delete(created.id, created.properties);
        expect(world.takeRequests()).to.deep.equal([]);
    });

    it("issues exactly one credential through 5xx and 429, and reads through them", async function () {
        world.emulator.setFaults([
            { operationId: "registries_get_dockerCredentials", status: 503, times: 1 },
            { operationId: "registries_get_dockerCredentials", status: 429, retryAfterSeconds: 0, times: 1 },
            { operationId: "registries_list", status: 502, times: 1 },
        ]);
        const creds = await world.resource("RegistryCredentials", "flaky");
        const created = await creds.create({ registryName: "acme", readWrite: true, expirySeconds: 600 });
        expect((JSON.parse(String(created.properties.dockerConfigJson)) as DockerConfig).auths).to.have.property(
            "registry.digitalocean.com",
        );
        expect(world.emulator.credentials(), "refused attempts issue nothing").to.have.length(1);
        const read = await creds.read(created.id, created.properties);
        expect(read.id).to.equal(created.id);
    });

    it("names the registry when it does not exist", async function () {
        const creds = await world.resource("RegistryCredentials", "missing");
        const err = await creds.create({ registryName: "nope", readWrite: false, expirySeconds: 0 }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.match(/nope/);
        expect(err?.message).to.match(/not found/);
    });
});
