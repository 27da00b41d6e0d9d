import { expect } from "chai";
import { stripProvider, UNKNOWN } from "../../harness/engine";
import { type World } from "../../harness/world";
import { useWorld } from "../support/world";

const DEV = "11111111-1111-4111-8111-111111111111";
const PROD = "22222222-2222-4222-8222-222222222222";
const EDGE = "33333333-3333-4333-8333-333333333333";
const GONE = "99999999-9999-4999-8999-999999999999";

const TEAM = {
    subscriptionTier: "professional" as const,
    registries: [{ name: "acme-dev" }, { name: "acme-prod" }, { name: "acme-shared" }],
    clusters: [
        { id: DEV, name: "dev-cluster", region: "nyc1" },
        { id: PROD, name: "prod-cluster", region: "fra1" },
        { id: EDGE, name: "edge-cluster", region: "sgp1" },
    ],
};

describe("ClusterRegistryIntegration through the dynamic-provider host", function () {
    const current = useWorld({ seed: TEAM });
    let world: World;
    beforeEach(function () {
        world = current();
    });

    /** Registries per cluster id, as the emulator holds them (the API never shows this). */
    function integrated(): Record<string, string[]> {
        return Object.fromEntries(world.emulator.snapshot().clusters.map((c) => [c.id, [...c.registries].sort()]));
    }

    /** Each named registry's `createdAt` as the emulator holds it: what state stamps the pairs with. */
    function stamps(...names: string[]): Record<string, string> {
        const all = world.emulator.snapshot().registries;
        return Object.fromEntries(names.map((n) => [n, all.find((r) => r.name === n)!.createdAt]));
    }

    /** A call to the API behind Pulumi's back, as another tool or a person would make it. */
    async function outside(method: string, route: string, body?: unknown): Promise<void> {
        const res = await fetch(`${world.emulator.url}${route}`, {
            method,
            headers: { authorization: `Bearer ${world.emulator.token}`, "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        expect(res.ok, `${method} ${route}: ${res.status}`).to.equal(true);
    }

    /** Integration requests since the last call: method and body, in the order they arrived. */
    function integrationCalls(): { op: string; body: unknown }[] {
        const calls = world.emulator
            .requests()
            .filter((r) => r.path.startsWith("/v2/kubernetes/registries"))
            .map((r) => ({ op: r.operationId, body: r.body }));
        world.emulator.clearRequests();
        return calls;
    }

    async function created(clusterIds: string[], registryNames: string[]) {
        const res = await world.resource("ClusterRegistryIntegration", "pull");
        const checked = await res.check({}, { clusterIds, registryNames });
        expect(checked.failures).to.deep.equal([]);
        const made = await res.create(checked.inputs);
        world.emulator.clearRequests();
        return { res, made };
    }

    describe("check", function () {
        const invalid: [string, Record<string, unknown>, string, RegExp][] = [
            [
                "a cluster id that is no UUID",
                { clusterIds: ["prod-cluster"], registryNames: ["acme-dev"] },
                "clusterIds.0",
                /"prod-cluster" is not a cluster UUID/,
            ],
            [
                "an upper-case UUID",
                { clusterIds: [DEV.toUpperCase().replace(/1/g, "A")], registryNames: ["acme-dev"] },
                "clusterIds.0",
                /not a cluster UUID \(lowercase/,
            ],
            [
                "no cluster",
                { clusterIds: [], registryNames: ["acme-dev"] },
                "clusterIds",
                /must name at least one cluster/,
            ],
            [
                "a cluster listed twice",
                { clusterIds: [DEV, PROD, DEV], registryNames: ["acme-dev"] },
                "clusterIds.2",
                /listed twice/,
            ],
            [
                "clusterIds as a string",
                { clusterIds: DEV, registryNames: ["acme-dev"] },
                "clusterIds",
                /must be a list of cluster UUIDs/,
            ],
            [
                "a bad registry name",
                { clusterIds: [DEV], registryNames: ["Acme"] },
                "registryNames.0",
                /lowercase letters, digits and '-'/,
            ],
            ["no registryNames", { clusterIds: [DEV] }, "registryNames", /list of registry names/],
            [
                "an unknown field",
                { clusterIds: [DEV], registryNames: ["acme-dev"], cluster: "x" },
                "cluster",
                /unknown input "cluster"/,
            ],
        ];
        for (const [label, news, property, reason] of invalid) {
            it(`rejects ${label}, naming ${property}, before any request`, async function () {
                const res = await world.resource("ClusterRegistryIntegration", "bad");
                world.takeRequests();
                const result = await res.check({}, news);
                expect(result.failures.map((f) => f.property)).to.include(property);
                expect(result.failures.map((f) => f.reason).join("\n")).to.match(reason);
                expect(world.takeRequests()).to.deep.equal([]);
            });
        }

        it("names a cluster and a registry the team does not have, with what it has", async function () {
            const res = await world.resource("ClusterRegistryIntegration", "missing");
            world.takeRequests();
            const result = await res.check(
                {},
                { clusterIds: [DEV, GONE], registryNames: ["acme-dev", "acme-nowhere"] },
            );
            expect(result.failures.map((f) => f.property)).to.deep.equal(["clusterIds.1", "registryNames.1"]);
            expect(result.failures[0].reason).to.match(
                new RegExp(
                    `cluster "${GONE}" does not exist in this team \\(its clusters: dev-cluster \\(${DEV}\\), prod-cluster`,
                ),
            );
            expect(result.failures[1].reason).to.match(
                /registry "acme-nowhere" is not one of this team's registries \(acme-dev, acme-prod, acme-shared\)/,
            );
            expect(world.takeRequests()).to.have.members(["kubernetes_list_clusters", "registries_list"]);
        });

        it("accepts what exists, asks only about what the stack does not hold, and lets unknowns through", async function () {
            const res = await world.resource("ClusterRegistryIntegration", "ok");
            world.takeRequests();
            expect(
                (await res.check({}, { clusterIds: [DEV, PROD], registryNames: ["acme-dev"] })).failures,
            ).to.deep.equal([]);
            expect(world.takeRequests()).to.have.members(["kubernetes_list_clusters", "registries_list"]);
            const same = await res.check(
                { clusterIds: [DEV, PROD], registryNames: ["acme-dev"] },
                { clusterIds: [PROD, DEV], registryNames: ["acme-dev"] },
            );
            expect(same.failures).to.deep.equal([]);
            expect(world.takeRequests(), "nothing new to ask about").to.deep.equal([]);
            const preview = await res.check({}, { clusterIds: [UNKNOWN], registryNames: UNKNOWN });
            expect(preview.failures).to.deep.equal([]);
            expect(world.takeRequests()).to.deep.equal([]);
        });

        it("accepts a registry that a Registry of the same run is about to create", async function () {
            const res = await world.resource("ClusterRegistryIntegration", "planned");
            const before = await res.check({}, { clusterIds: [DEV], registryNames: ["acme-planned"] });
            expect(before.failures.map((f) => f.property)).to.deep.equal(["registryNames.0"]);
            const reg = await world.resource("Registry", "planned");
            expect((await reg.check({}, { name: "acme-planned", region: "fra1" })).failures).to.deep.equal([]);
            expect(
                (await res.check({}, { clusterIds: [DEV], registryNames: ["acme-planned"] })).failures,
            ).to.deep.equal([]);
        });
    });

    describe("lifecycle", function () {
        it("creates with one add of every pair", async function () {
            const res = await world.resource("ClusterRegistryIntegration", "create");
            world.emulator.clearRequests();
            const made = await res.create({ clusterIds: [DEV, PROD], registryNames: ["acme-dev", "acme-shared"] });
            expect(integrationCalls()).to.deep.equal([
                {
                    op: "kubernetes_add_registries",
                    body: { cluster_uuids: [DEV, PROD], registries: ["acme-dev", "acme-shared"] },
                },
            ]);
            expect(made.id).to.match(/^[0-9a-f-]{36}$/);
            expect(stripProvider(made.properties)).to.deep.equal({
                clusterIds: [DEV, PROD],
                registryNames: ["acme-dev", "acme-shared"],
                registryCreatedAt: stamps("acme-dev", "acme-shared"),
            });
            expect(integrated()).to.deep.equal({
                [DEV]: ["acme-dev", "acme-shared"],
                [PROD]: ["acme-dev", "acme-shared"],
                [EDGE]: [],
            });
        });

        it("diffs offline and ignores order", async function () {
            const { res, made } = await created([DEV, PROD], ["acme-dev"]);
            const olds = made.properties;
            expect(
                (await res.diff(made.id, olds, { clusterIds: [PROD, DEV], registryNames: ["acme-dev"] })).changes,
            ).to.equal("none");
            const more = await res.diff(made.id, olds, { clusterIds: [DEV, PROD, EDGE], registryNames: ["acme-dev"] });
            expect(more).to.include({ changes: "some", deleteBeforeReplace: false });
            expect(more.replaces).to.deep.equal([]);
            expect(
                (await res.diff(made.id, olds, { clusterIds: [DEV, PROD], registryNames: [UNKNOWN] })).changes,
            ).to.equal("some");
            expect(world.takeRequests()).to.deep.equal([]);
        });

        it("updates by adding the new pairs first, then removing only the pairs no longer listed", async function () {
            const { res, made } = await created([DEV, PROD], ["acme-dev", "acme-prod"]);
            // PROD leaves, EDGE joins; acme-prod leaves, acme-shared joins; DEV + acme-dev stays throughout.
            const updated = await res.update(made.id, made.properties, {
                clusterIds: [DEV, EDGE],
                registryNames: ["acme-dev", "acme-shared"],
            });
            expect(integrationCalls()).to.deep.equal([
                {
                    op: "kubernetes_add_registries",
                    body: { cluster_uuids: [EDGE], registries: ["acme-dev", "acme-shared"] },
                },
                { op: "kubernetes_add_registries", body: { cluster_uuids: [DEV], registries: ["acme-shared"] } },
                {
                    op: "kubernetes_remove_registries",
                    body: { cluster_uuids: [PROD], registries: ["acme-dev", "acme-prod"] },
                },
                { op: "kubernetes_remove_registries", body: { cluster_uuids: [DEV], registries: ["acme-prod"] } },
            ]);
            expect(stripProvider(updated.properties)).to.deep.equal({
                clusterIds: [DEV, EDGE],
                registryNames: ["acme-dev", "acme-shared"],
                registryCreatedAt: stamps("acme-dev", "acme-shared"),
            });
            expect(integrated()).to.deep.equal({
                [DEV]: ["acme-dev", "acme-shared"],
                [PROD]: [],
                [EDGE]: ["acme-dev", "acme-shared"],
            });
        });

        it("deletes exactly the pairs it holds: a registry integrated by someone else stays", async function () {
            world.emulator.seed({
                clusters: [{ id: DEV, name: "dev-cluster", region: "nyc1", registries: ["acme-shared"] }],
            });
            const { res, made } = await created([DEV, PROD], ["acme-dev"]);
            await res.delete(made.id, made.properties);
            expect(integrationCalls()).to.deep.equal([
                { op: "kubernetes_remove_registries", body: { cluster_uuids: [DEV, PROD], registries: ["acme-dev"] } },
            ]);
            expect(integrated()).to.deep.equal({ [DEV]: ["acme-shared"], [PROD]: [], [EDGE]: [] });
        });

        it("deletes when a cluster is already gone: the remaining pairs are removed, and nothing fails", async function () {
            const { res, made } = await created([DEV, PROD], ["acme-dev"]);
            world.emulator.deleteCluster(PROD);
            await res.delete(made.id, made.properties);
            const calls = world.emulator.requests().map((r) => [r.operationId, r.status]);
            expect(calls.filter(([op]) => op === "kubernetes_remove_registries")).to.deep.equal([
                ["kubernetes_remove_registries", 404],
                ["kubernetes_remove_registries", 204],
            ]);
            expect(world.emulator.requests().at(-1)?.body).to.deep.equal({
                cluster_uuids: [DEV],
                registries: ["acme-dev"],
            });
            expect(integrated()).to.deep.equal({ [DEV]: [], [EDGE]: [] });
            world.emulator.deleteCluster(DEV);
            await res.delete(made.id, made.properties); // every cluster gone: nothing left to remove
        });

        it("reads: unchanged, then a cluster reporting registry_enabled false shows as drift, and the next update adds it back", async function () {
            const { res, made } = await created([DEV, PROD], ["acme-dev"]);
            const same = await res.read(made.id, made.properties);
            expect(stripProvider(same.properties)).to.deep.equal({
                clusterIds: [DEV, PROD],
                registryNames: ["acme-dev"],
                registryCreatedAt: stamps("acme-dev"),
            });
            expect(world.takeRequests()).to.have.members(["kubernetes_list_clusters", "registries_list"]);

            world.emulator.seed({ clusters: [{ id: PROD, name: "prod-cluster", region: "fra1", registries: [] }] });
            const drifted = await res.read(made.id, made.properties);
            expect(drifted.id).to.equal(made.id);
            expect(stripProvider(drifted.properties)).to.deep.equal({
                clusterIds: [DEV],
                registryNames: ["acme-dev"],
                registryCreatedAt: stamps("acme-dev"),
            });
            expect(stripProvider(drifted.inputs)).to.deep.equal({ clusterIds: [DEV], registryNames: ["acme-dev"] });
            await world.host.waitForOutput(
                /cluster "prod-cluster" \(2{8}-[-0-9]+\) reports no registry \(registry_enabled: false\)/,
            );

            const program = { clusterIds: [DEV, PROD], registryNames: ["acme-dev"] };
            expect((await res.diff(made.id, drifted.properties, program)).changes).to.equal("some");
            world.emulator.clearRequests();
            await res.update(made.id, drifted.properties, program);
            expect(integrationCalls()).to.deep.equal([
                { op: "kubernetes_add_registries", body: { cluster_uuids: [PROD], registries: ["acme-dev"] } },
            ]);
            expect(integrated()[PROD]).to.deep.equal(["acme-dev"]);
        });

        it("reads a deleted cluster as dropped (reported), and the integration as gone once every cluster is", async function () {
            const { res, made } = await created([DEV, PROD], ["acme-dev"]);
            world.emulator.deleteCluster(DEV);
            const read = await res.read(made.id, made.properties);
            expect(stripProvider(read.properties)).to.deep.equal({
                clusterIds: [PROD],
                registryNames: ["acme-dev"],
                registryCreatedAt: stamps("acme-dev"),
            });
            await world.host.waitForOutput(new RegExp(`cluster "${DEV}" no longer exists`));
            world.emulator.deleteCluster(PROD);
            expect((await res.read(made.id, read.properties)).id).to.equal("");
        });

        it("a registry replaced in the same run (Registry diff, then create): check stamps it, unknown before the create; the update adds its pairs again", async function () {
            const { res, made } = await created([DEV, PROD], ["acme-dev", "acme-shared"]);
            const registry = await world.resource("Registry", "dev");
            const old = { name: "acme-dev", region: "nyc3", serverUrl: "registry.digitalocean.com/acme-dev" };
            const program = { clusterIds: [DEV, PROD], registryNames: ["acme-dev", "acme-shared"] };
            expect((await res.check(made.properties, program)).inputs).to.not.have.property("registryCreatedAt");
            expect((await registry.diff("acme-dev", old, { name: "acme-dev", region: "fra1" })).replaces).to.deep.equal(
                ["region"],
            );

            // Preview: the registry is not created again yet, so its stamp is unknown and the diff shows a change.
            const previewed = await res.check(made.properties, program);
            expect(previewed.inputs.registryCreatedAt).to.deep.equal({ "acme-dev": UNKNOWN });
            expect((await res.diff(made.id, made.properties, previewed.inputs)).changes).to.equal("some");

            // Up: delete first (the API drops its pairs), create again, then the integration.
            await registry.delete("acme-dev", old);
            expect(integrated()[DEV]).to.deep.equal(["acme-shared"]);
            await registry.create({ name: "acme-dev", region: "fra1" });
            const checked = await res.check(made.properties, program);
            expect(checked.inputs.registryCreatedAt).to.deep.equal(stamps("acme-dev"));
            expect((await res.diff(made.id, made.properties, checked.inputs)).changes).to.equal("some");
            world.emulator.clearRequests();
            const updated = await res.update(made.id, made.properties, checked.inputs);
            expect(integrationCalls()).to.deep.equal([
                { op: "kubernetes_add_registries", body: { cluster_uuids: [DEV, PROD], registries: ["acme-dev"] } },
            ]);
            expect(integrated()).to.deep.include({
                [DEV]: ["acme-dev", "acme-shared"],
                [PROD]: ["acme-dev", "acme-shared"],
            });
            expect(updated.properties.registryCreatedAt).to.deep.equal(stamps("acme-dev", "acme-shared"));
            expect((await res.diff(made.id, updated.properties, checked.inputs)).changes).to.equal("none");
        });

        it("refresh sees a registry deleted and created again outside Pulumi (its createdAt moved): dropped, and the next update adds it back", async function () {
            const { res, made } = await created([DEV], ["acme-dev", "acme-shared"]);
            await outside("DELETE", "/v2/registries/acme-dev");
            await new Promise((r) => setTimeout(r, 5));
            await outside("POST", "/v2/registries", { name: "acme-dev", region: "nyc3" });
            expect(integrated()[DEV]).to.deep.equal(["acme-shared"]);
            const read = await res.read(made.id, made.properties);
            expect(stripProvider(read.properties)).to.deep.equal({
                clusterIds: [DEV],
                registryNames: ["acme-shared"],
                registryCreatedAt: stamps("acme-shared"),
            });
            await world.host.waitForOutput(
                /registry "acme-dev" was created again .* the next pulumi up integrates it again/,
            );
            const program = { clusterIds: [DEV], registryNames: ["acme-dev", "acme-shared"] };
            expect((await res.diff(made.id, read.properties, program)).changes).to.equal("some");
            await res.update(made.id, read.properties, program);
            expect(integrated()[DEV]).to.deep.equal(["acme-dev", "acme-shared"]);
        });

        it("cannot be imported (the API cannot list a cluster's registries), and says so", async function () {
            const res = await world.resource("ClusterRegistryIntegration", "import");
            const err = await res.read("some-id", {}).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(/cannot be imported: the API cannot list which registries a cluster has/);
        });
    });

    describe("faults", function () {
        it("adds through 5xx and 429", async function () {
            world.emulator.setFaults([
                { operationId: "kubernetes_add_registries", status: 503, times: 2 },
                { operationId: "kubernetes_add_registries", status: 429, retryAfterSeconds: 0, times: 1 },
            ]);
            const res = await world.resource("ClusterRegistryIntegration", "flaky");
            await res.create({ clusterIds: [DEV], registryNames: ["acme-dev"] });
            expect(
                world.emulator
                    .requests()
                    .filter((r) => r.operationId === "kubernetes_add_registries")
                    .map((r) => r.status),
            ).to.deep.equal([503, 503, 429, 204]);
            expect(integrated()[DEV]).to.deep.equal(["acme-dev"]);
        });

        it("retries an add whose response was lost after the server acted (adding a pair twice adds it once)", async function () {
            world.emulator.setFaults([
                { operationId: "kubernetes_add_registries", dropConnection: true, afterHandling: true, times: 1 },
            ]);
            const res = await world.resource("ClusterRegistryIntegration", "lost");
            const made = await res.create({ clusterIds: [DEV], registryNames: ["acme-dev"] });
            expect(
                world.emulator
                    .requests()
                    .filter((r) => r.operationId === "kubernetes_add_registries")
                    .map((r) => r.status),
            ).to.deep.equal([0, 204]);
            expect(integrated()[DEV]).to.deep.equal(["acme-dev"]);
            expect(made.id).to.be.a("string");
        });

        it("removes through a 5xx and reads through a 429", async function () {
            const { res, made } = await created([DEV], ["acme-dev"]);
            world.emulator.setFaults([
                { operationId: "kubernetes_list_clusters", status: 429, retryAfterSeconds: 0, times: 1 },
                { operationId: "kubernetes_remove_registries", status: 500, times: 1 },
            ]);
            expect((await res.read(made.id, made.properties)).id).to.equal(made.id);
            await res.delete(made.id, made.properties);
            expect(integrated()[DEV]).to.deep.equal([]);
        });

        it("reports an add that keeps failing, naming the operation", async function () {
            world.emulator.setFaults([{ operationId: "kubernetes_add_registries", status: 500 }]);
            const res = await world.resource("ClusterRegistryIntegration", "down");
            const err = await res.create({ clusterIds: [DEV], registryNames: ["acme-dev"] }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(/kubernetes_add_registries.*500/);
            expect(integrated()[DEV]).to.deep.equal([]);
        });
    });
});
