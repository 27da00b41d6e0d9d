import { expect } from "chai";
import { WORLD_TOKEN, serializedProvider, type World } from "../../harness/world";
import { startWorld } from "../support/world";

/** Everything a user could see: outputs, error messages and the host's console. */
async function exerciseEveryPath(world: World): Promise<string[]> {
    const seen: string[] = [];
    const capture = (e: Error) => {
        seen.push(e.message);
        return undefined;
    };
    const reg = await world.resource("Registry", "sec");
    const creds = await world.resource("RegistryCredentials", "sec");
    const sub = await world.resource("Subscription", "sec");
    seen.push(JSON.stringify((await reg.check({}, { name: "acme-sec", subscriptionTierSlug: "basic" })).failures));
    const created = await reg.create({ name: "acme-sec", subscriptionTierSlug: "basic" });
    seen.push(JSON.stringify(created.properties));
    const issued = await creds.create({ registryName: "acme-sec", readWrite: true, expirySeconds: 60 });
    seen.push(JSON.stringify(issued.properties));
    seen.push(JSON.stringify((await sub.create({ tierSlug: "basic" })).properties));
    // Failures of every kind: not found, exhausted retries, malformed body, validation.
    await creds.create({ registryName: "missing", readWrite: false, expirySeconds: 0 }).catch(capture);
    world.emulator.setFaults([{ operationId: "registries_list", malformedBody: "schema" }]);
    await creds.read(issued.id, issued.properties).catch(capture);
    world.emulator.setFaults([{ operationId: "registries_list", status: 500 }]);
    await reg.read(created.id, created.properties).catch(capture);
    world.emulator.setFaults([]);
    await reg.delete(created.id, created.properties);
    return seen;
}

describe("the API token stays out of state, outputs, errors and logs", function () {
    this.timeout(120_000);

    for (const via of ["config", "env"] as const) {
        it(`with the token given through ${via === "config" ? "stack config" : "DIGITALOCEAN_TOKEN"}`, async function () {
            const world = await startWorld({ tokenVia: via });
            try {
                const seen = await exerciseEveryPath(world);
                expect(seen).to.have.length(7);
                expect(seen[4], "not found").to.include("missing");
                expect(seen[5], "malformed body").to.include("registries_list");
                expect(seen[6], "exhausted retries").to.include("500");
                for (const text of seen) expect(text).to.not.include(WORLD_TOKEN);
                expect(world.host.output()).to.not.include(WORLD_TOKEN);
                const { dockerConfigJson } = JSON.parse(seen[2]) as { dockerConfigJson: string };
                const issuedAuth = (JSON.parse(dockerConfigJson) as { auths: Record<string, { auth: string }> }).auths[
                    "registry.digitalocean.com"
                ].auth;
                expect(issuedAuth.length).to.be.greaterThan(10);
                expect(world.host.output(), "issued credentials are not logged").to.not.include(issuedAuth);
                for (const text of seen.slice(3)) expect(text).to.not.include(issuedAuth);
                for (const kind of ["Registry", "Subscription", "RegistryCredentials"] as const) {
                    expect(await serializedProvider(kind)).to.not.include(WORLD_TOKEN);
                }
            } finally {
                await world.stop();
            }
        });
    }

    it("without a token, check (preview) fails naming where to set it, and so does create; no request is sent", async function () {
        const world = await startWorld({ tokenVia: "none" });
        try {
            const reg = await world.resource("Registry", "notoken");
            const refused = await reg.check({}, { name: "acme", region: "nyc3", subscriptionTierSlug: "basic" });
            expect(refused.failures).to.have.length(1);
            expect(refused.failures[0].property).to.equal("");
            expect(refused.failures[0].reason).to.include("digitalocean:token");
            expect(refused.failures[0].reason).to.include("DIGITALOCEAN_TOKEN");
            expect(world.takeRequests()).to.deep.equal([]);
            const err = await reg.create({ name: "acme", region: "nyc3", subscriptionTierSlug: "basic" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.include("DIGITALOCEAN_TOKEN");
            expect(err?.message).to.include("digitalocean:token");
            expect(world.takeRequests(), "never an empty Bearer").to.deep.equal([]);
        } finally {
            await world.stop();
        }
    });
});

describe("a rejected token (401) in a resource", function () {
    this.timeout(60_000);

    it("fails check and create naming the config key digitalocean:token, never echoing the token", async function () {
        const world = await startWorld();
        try {
            const wrong = "dop_v1_wrong_token_for_this_test_0123456789abcdef";
            await world.host.configure({ "digitalocean:token": wrong, "digitalocean:apiUrl": world.emulator.url });
            const reg = await world.resource("Registry", "wrongtoken");
            const refused = await reg.check({}, { name: "acme", region: "nyc3", subscriptionTierSlug: "basic" });
            expect(refused.failures).to.have.length(1);
            expect(refused.failures[0].reason).to.match(/rejected the token.*digitalocean:token/);
            const err = await reg.create({ name: "acme", region: "nyc3", subscriptionTierSlug: "basic" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(/rejected the token.*digitalocean:token/);
            for (const text of [refused.failures[0].reason, err?.message ?? ""]) expect(text).to.not.include(wrong);
        } finally {
            await world.stop();
        }
    });
});
