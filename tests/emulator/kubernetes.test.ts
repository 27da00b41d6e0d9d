import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningEmulator } from "../../emulator";
import { clusterIdFor } from "../../emulator/fixtures";
import { at, call, start } from "./helpers";

const DEV = "11111111-1111-4111-8111-111111111111";

describe("emulator: DOKS clusters and the registry integration", () => {
    let emu: RunningEmulator;
    beforeEach(async () => {
        emu = await start({
            fixture: {
                subscriptionTier: "professional",
                registries: [{ name: "acme" }, { name: "acme-two" }],
                clusters: [{ id: DEV, name: "dev-cluster", region: "nyc1" }, { name: "prod-cluster" }],
            },
        });
    });
    afterEach(() => emu.stop());

    it("seeds clusters from the fixture (an id derived from the name when none is given) and reads them", async () => {
        const list = await call(emu, "GET", "/v2/kubernetes/clusters");
        expect(list.status).to.equal(200);
        const clusters = list.json.kubernetes_clusters as Record<string, unknown>[];
        expect(clusters.map((c) => [c.id, c.name, c.region, c.registry_enabled])).to.deep.equal([
            [DEV, "dev-cluster", "nyc1", false],
            [clusterIdFor("prod-cluster"), "prod-cluster", "nyc1", false],
        ]);
        expect(at(list.json, "meta.total")).to.equal(2);
        expect(clusters[0]).to.not.have.property("registries");
        const one = await call(emu, "GET", `/v2/kubernetes/clusters/${DEV}`);
        expect(at(one.json, "kubernetes_cluster.name")).to.equal("dev-cluster");
        expect((await call(emu, "GET", `/v2/kubernetes/clusters/${clusterIdFor("nowhere")}`)).status).to.equal(404);
    });

    it("tracks which registries each cluster has; registry_enabled follows; a deleted registry leaves its clusters", async () => {
        expect(
            (
                await call(emu, "POST", "/v2/kubernetes/registries", {
                    cluster_uuids: [DEV],
                    registries: ["acme", "acme-two"],
                })
            ).status,
        ).to.equal(204);
        expect(
            (await call(emu, "POST", "/v2/kubernetes/registries", { cluster_uuids: [DEV], registries: ["acme"] }))
                .status,
            "adding twice",
        ).to.equal(204);
        expect(emu.snapshot().clusters[0]?.registries).to.deep.equal(["acme", "acme-two"]);
        expect(
            at((await call(emu, "GET", `/v2/kubernetes/clusters/${DEV}`)).json, "kubernetes_cluster.registry_enabled"),
        ).to.equal(true);
        expect(
            (await call(emu, "DELETE", "/v2/kubernetes/registries", { cluster_uuids: [DEV], registries: ["acme"] }))
                .status,
        ).to.equal(204);
        await call(emu, "DELETE", "/v2/registries/acme-two");
        expect(emu.snapshot().clusters[0]?.registries).to.deep.equal([]);
        expect(
            at((await call(emu, "GET", `/v2/kubernetes/clusters/${DEV}`)).json, "kubernetes_cluster.registry_enabled"),
        ).to.equal(false);
    });

    it("answers 404 for an unknown cluster or registry (changing nothing), 422 for a bad body, 401 without a token; logs every request", async () => {
        const unknownCluster = await call(emu, "POST", "/v2/kubernetes/registries", {
            cluster_uuids: [DEV, clusterIdFor("x")],
            registries: ["acme"],
        });
        expect([unknownCluster.status, unknownCluster.json.id]).to.deep.equal([404, "not_found"]);
        const unknownRegistry = await call(emu, "DELETE", "/v2/kubernetes/registries", {
            cluster_uuids: [DEV],
            registries: ["nope"],
        });
        expect(unknownRegistry.json.message).to.match(/registry "nope" not found/);
        expect(emu.snapshot().clusters[0]?.registries).to.deep.equal([]);
        for (const body of [
            { cluster_uuids: [DEV] },
            { cluster_uuids: [], registries: ["acme"] },
            { cluster_uuids: [1], registries: ["acme"] },
        ]) {
            expect((await call(emu, "POST", "/v2/kubernetes/registries", body)).status, JSON.stringify(body)).to.equal(
                422,
            );
        }
        expect((await call(emu, "GET", "/v2/kubernetes/clusters", undefined, null)).status).to.equal(401);
        const log = emu.requests();
        expect(log.map((r) => r.operationId)).to.deep.equal([
            "kubernetes_add_registries",
            "kubernetes_remove_registries",
            "kubernetes_add_registries",
            "kubernetes_add_registries",
            "kubernetes_add_registries",
            "kubernetes_list_clusters",
        ]);
        expect(log[0]?.body).to.deep.equal({ cluster_uuids: [DEV, clusterIdFor("x")], registries: ["acme"] });
    });

    it("injects faults on the integration like on every route (a lost response after the server acted)", async () => {
        emu.setFaults([
            { operationId: "kubernetes_add_registries", dropConnection: true, afterHandling: true, times: 1 },
        ]);
        const lost = await call(emu, "POST", "/v2/kubernetes/registries", {
            cluster_uuids: [DEV],
            registries: ["acme"],
        }).catch((e: unknown) => e);
        expect(lost).to.be.instanceOf(Error);
        expect(emu.snapshot().clusters[0]?.registries).to.deep.equal(["acme"]);
        expect(emu.requests().at(-1)).to.include({ operationId: "kubernetes_add_registries", status: 0 });
    });

    it("admin routes add and delete clusters; seeding an existing id replaces its name and region", async () => {
        const id = "22222222-2222-4222-8222-222222222222";
        const added = await fetch(`${emu.url}/_emulator/clusters`, {
            method: "POST",
            body: JSON.stringify({ id, name: "edge", region: "sgp1" }),
        });
        expect(added.status).to.equal(201);
        const bad = await fetch(`${emu.url}/_emulator/clusters`, {
            method: "POST",
            body: JSON.stringify({ id: "not-a-uuid", name: "x" }),
        });
        expect(bad.status).to.equal(422);
        expect(((await bad.json()) as { message: string }).message).to.match(/cluster\.id must be a lowercase UUID/);
        emu.seed({ clusters: [{ id: DEV, name: "dev-renamed", region: "ams3" }] });
        expect(emu.snapshot().clusters.map((c) => [c.name, c.region])).to.deep.include.members([
            ["dev-renamed", "ams3"],
            ["edge", "sgp1"],
        ]);
        expect((await fetch(`${emu.url}/_emulator/clusters/${id}`, { method: "DELETE" })).status).to.equal(204);
        expect((await fetch(`${emu.url}/_emulator/clusters/${id}`, { method: "DELETE" })).status).to.equal(404);
        expect(() => emu.deleteCluster(id)).to.throw(/not found/);
        expect(emu.snapshot().clusters.map((c) => c.name)).to.deep.equal(["prod-cluster", "dev-renamed"]);
    });

    it("rejects fixtures with bad clusters, naming the field", () => {
        for (const [clusters, message] of [
            [[{ region: "nyc1" }], /fixture\.clusters\[0\]\.name/],
            [[{ name: "a", registries: ["Bad Name"] }], /fixture\.clusters\[0\]\.registries/],
            ["x", /fixture\.clusters must be an array/],
        ] as const) {
            expect(() => emu.seed({ clusters } as never)).to.throw(message);
        }
    });
});

describe("emulator: a state file written before clusters existed", () => {
    it("loads with no clusters", async () => {
        const dir = mkdtempSync(join(tmpdir(), "docr-emu-k8s-"));
        try {
            const statePath = join(dir, "state.json");
            writeFileSync(
                statePath,
                JSON.stringify({
                    subscription: null,
                    takenNames: [],
                    registries: [],
                    credentials: [],
                    token: "dop_v1_old",
                }),
            );
            const emu = await start({ statePath });
            try {
                expect(emu.token).to.equal("dop_v1_old");
                expect((await call(emu, "GET", "/v2/kubernetes/clusters")).json.kubernetes_clusters).to.deep.equal([]);
            } finally {
                await emu.stop();
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
