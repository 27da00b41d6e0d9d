import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import * as docr from "../../provider";

const DEV = "11111111-1111-4111-8111-111111111111";

describe("getKubernetesClusters against the emulator", function () {
    let emulator: RunningEmulator;
    let opts: docr.Connection;
    before(async function () {
        emulator = await startEmulator({ rateLimitPerMinute: 0 });
        opts = { token: emulator.token, apiUrl: emulator.url };
        emulator.seed({
            registries: [{ name: "acme-dev" }],
            clusters: [
                { id: DEV, name: "dev-cluster", region: "nyc1", registries: ["acme-dev"] },
                { name: "prod-cluster", region: "fra1" },
            ],
        });
    });
    after(async function () {
        await emulator?.stop();
    });

    it("lists id, name, region and registryEnabled, as a promise and as an Output", async function () {
        const { clusters } = await docr.getKubernetesClusters(opts);
        expect(clusters).to.have.length(2);
        expect(clusters[0]).to.deep.equal({ id: DEV, name: "dev-cluster", region: "nyc1", registryEnabled: true });
        expect(clusters[1]).to.include({ name: "prod-cluster", region: "fra1", registryEnabled: false });
        const prodId = await new Promise((done) =>
            docr
                .getKubernetesClustersOutput(opts)
                .clusters.apply((cs) => done(cs.find((c) => c.name === "prod-cluster")?.id)),
        );
        expect(prodId).to.equal(clusters[1].id);
        expect(emulator.requests().map((r) => r.operationId)).to.deep.equal([
            "kubernetes_list_clusters",
            "kubernetes_list_clusters",
        ]);
    });

    it("reports a rejected token without echoing it", async function () {
        const err = await docr.getKubernetesClusters({ ...opts, token: "dop_v1_wrong_token_0000" }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.match(/kubernetes_list_clusters.*401/);
        expect(err?.message).to.not.include("dop_v1_wrong_token_0000");
    });
});
