import { expect } from "chai";
import { startEmulator, type FixtureCluster, type RunningEmulator } from "../../emulator";
import { DocrClient, errorKind } from "../../provider/client";
import { collect } from "../../provider/client/pagination";
import { checkExchange, failures, KUBERNETES_SPEC_PATH, loadContract, operationIds, type Contract } from "./contract";
import { startProxy, type Exchange, type RecordingProxy } from "./proxy";

const TOKEN = "dop_v1_contractk8s0123456789abcdef0123456789abcdef0123456789ab";
const CLUSTERS = 205; // two pages of 200
const DEV = "bd5f5959-5e1e-4205-a714-a914373942af";
const PROD = "50c2f44c-011d-493e-aee5-361a4a0d1844";
const GONE = "99999999-9999-4999-8999-999999999999";

/**
 * The DOKS registry integration against DigitalOcean's OpenAPI description of it
 * (../shared/api/do-kubernetes-registry-openapi.yaml): every request the client (or a raw call, for
 * the older single-registry form the client does not use) puts on the wire, and every emulator
 * response, success and error alike, validates against its operation.
 */
describe("contract: the DOKS registry integration conforms to its OpenAPI file", function () {
    let contract: Contract;
    let emu: RunningEmulator;
    let proxy: RecordingProxy;
    let client: DocrClient;
    const covered = new Set<string>();

    /** `requests: false` for a request that breaks the contract on purpose (no token). */
    async function conforming<T>(
        fn: () => Promise<T>,
        opts: { requests?: boolean } = {},
    ): Promise<{ value: T; exchanges: Exchange[] }> {
        const { value, exchanges } = await proxy.during(fn);
        expect(exchanges.length, "no request reached the proxy").to.be.greaterThan(0);
        expect(failures(contract, exchanges, opts)).to.deep.equal([]);
        for (const ex of exchanges) covered.add(checkExchange(contract, ex).operationId ?? "?");
        return { value, exchanges };
    }

    async function raw(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Exchange> {
        const { exchanges } = await conforming(
            async () => {
                const headers: Record<string, string> = {};
                if (token !== null) headers.authorization = `Bearer ${token}`;
                if (body !== undefined) headers["content-type"] = "application/json";
                const res = await fetch(`${proxy.url}${path}`, {
                    method,
                    headers,
                    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
                });
                await res.arrayBuffer();
            },
            { requests: token !== null },
        );
        expect(exchanges).to.have.length(1);
        return exchanges[0];
    }

    function errorOf(ex: Exchange): { id: string; message: string; request_id: string } {
        return JSON.parse(ex.responseBody) as { id: string; message: string; request_id: string };
    }

    before(async () => {
        contract = await loadContract(KUBERNETES_SPEC_PATH);
        const many: FixtureCluster[] = Array.from({ length: CLUSTERS - 2 }, (_, i) => ({
            name: `c-${String(i).padStart(3, "0")}`,
            region: "ams3",
        }));
        emu = await startEmulator({
            token: TOKEN,
            seed: 12,
            rateLimitPerMinute: 0,
            fixture: {
                subscriptionTier: "professional",
                registries: [{ name: "registry-a" }, { name: "registry-b" }],
                clusters: [
                    { id: DEV, name: "dev-cluster", region: "nyc1" },
                    { id: PROD, name: "prod-cluster", region: "fra1" },
                    ...many,
                ],
            },
        });
        proxy = await startProxy(emu.url);
        client = new DocrClient({
            token: TOKEN,
            apiUrl: proxy.url,
            maxRequestsPerMinute: 1_000_000,
            retryBaseDelayMs: 1,
            retryMaxDelayMs: 5,
            timeoutMs: 5000,
        });
    });
    after(async () => {
        await proxy?.stop();
        await emu?.stop();
    });
    beforeEach(() => emu.setFaults([]));

    it(`listKubernetesClusters: ${CLUSTERS} clusters in ceil(N/200) requests`, async () => {
        const { value, exchanges } = await conforming(() => collect(client.listKubernetesClusters()));
        expect(value).to.have.length(CLUSTERS);
        expect(exchanges.map((e) => e.url)).to.deep.equal([
            "/v2/kubernetes/clusters?per_page=200&page=1",
            "/v2/kubernetes/clusters?per_page=200&page=2",
        ]);
        expect(value.find((c) => c.id === DEV)).to.deep.include({
            name: "dev-cluster",
            region: "nyc1",
            registry_enabled: false,
        });
    });

    it("getKubernetesCluster (200) and an unknown one (404)", async () => {
        const { exchanges } = await conforming(async () => {
            expect((await client.getKubernetesCluster(PROD)).name).to.equal("prod-cluster");
            expect(errorKind(await client.getKubernetesCluster(GONE).catch((e: unknown) => e))).to.equal("not_found");
        });
        expect(exchanges.map((e) => [e.status, checkExchange(contract, e).responseKey])).to.deep.equal([
            [200, "200"],
            [404, "404"],
        ]);
    });

    it("addClusterRegistries and removeClusterRegistries: 204 each, registry_enabled follows", async () => {
        const { exchanges } = await conforming(async () => {
            await client.addClusterRegistries({ clusterIds: [DEV, PROD], registryNames: ["registry-a", "registry-b"] });
            expect((await client.getKubernetesCluster(DEV)).registry_enabled).to.equal(true);
            await client.removeClusterRegistries({ clusterIds: [DEV], registryNames: ["registry-a", "registry-b"] });
            expect((await client.getKubernetesCluster(DEV)).registry_enabled).to.equal(false);
            expect((await client.getKubernetesCluster(PROD)).registry_enabled).to.equal(true);
        });
        expect(exchanges.map((e) => e.status)).to.deep.equal([204, 200, 204, 200, 200]);
        expect(JSON.parse(exchanges[0].requestBody)).to.deep.equal({
            cluster_uuids: [DEV, PROD],
            registries: ["registry-a", "registry-b"],
        });
        expect(emu.snapshot().clusters.find((c) => c.id === PROD)?.registries).to.deep.equal([
            "registry-a",
            "registry-b",
        ]);
    });

    it("an unknown cluster or registry: 404 not_found naming it (the operations' default response), and nothing changes", async () => {
        const before = emu.snapshot().clusters;
        const { exchanges } = await conforming(async () => {
            expect(
                errorKind(
                    await client
                        .addClusterRegistries({ clusterIds: [DEV, GONE], registryNames: ["registry-a"] })
                        .catch((e: unknown) => e),
                ),
            ).to.equal("not_found");
            expect(
                errorKind(
                    await client
                        .addClusterRegistries({ clusterIds: [DEV], registryNames: ["nowhere"] })
                        .catch((e: unknown) => e),
                ),
            ).to.equal("not_found");
            expect(
                errorKind(
                    await client
                        .removeClusterRegistries({ clusterIds: [GONE], registryNames: ["registry-a"] })
                        .catch((e: unknown) => e),
                ),
            ).to.equal("not_found");
        });
        expect(exchanges.map((e) => [e.status, checkExchange(contract, e).responseKey])).to.deep.equal([
            [404, "default"],
            [404, "default"],
            [404, "default"],
        ]);
        expect(errorOf(exchanges[0]).message).to.include(GONE);
        expect(errorOf(exchanges[1]).message).to.include("nowhere");
        expect(emu.snapshot().clusters).to.deep.equal(before);
    });

    it("a body without registries: 422 (default response)", async () => {
        const ex = await raw("POST", "/v2/kubernetes/registries", { cluster_uuids: [DEV] });
        expect([ex.status, errorOf(ex).id]).to.deep.equal([422, "unprocessable_entity"]);
    });

    it("the older /v2/kubernetes/registry form: 412 with several registries, 204 with the team's one", async () => {
        const several = await raw("POST", "/v2/kubernetes/registry", { cluster_uuids: [DEV] });
        expect([several.status, errorOf(several).id]).to.deep.equal([412, "precondition_failed"]);
        await client.deleteRegistry("registry-b");
        const add = await raw("POST", "/v2/kubernetes/registry", { cluster_uuids: [DEV] });
        expect(add.status).to.equal(204);
        expect(emu.snapshot().clusters.find((c) => c.id === DEV)?.registries).to.deep.equal(["registry-a"]);
        const remove = await raw("DELETE", "/v2/kubernetes/registry", { cluster_uuids: [DEV] });
        expect(remove.status).to.equal(204);
        expect(emu.snapshot().clusters.find((c) => c.id === DEV)?.registries).to.deep.equal([]);
        expect(
            emu.snapshot().clusters.find((c) => c.id === PROD)?.registries,
            "deleting a registry removes its integrations",
        ).to.deep.equal(["registry-a"]);
    });

    it("401 without a token, and injected 429 and 500, on every operation", async () => {
        const every: [string, string, unknown?][] = [
            ["GET", "/v2/kubernetes/clusters"],
            ["GET", `/v2/kubernetes/clusters/${DEV}`],
            ["POST", "/v2/kubernetes/registries", { cluster_uuids: [DEV], registries: ["registry-a"] }],
            ["DELETE", "/v2/kubernetes/registries", { cluster_uuids: [DEV], registries: ["registry-a"] }],
            ["POST", "/v2/kubernetes/registry", { cluster_uuids: [DEV] }],
            ["DELETE", "/v2/kubernetes/registry", { cluster_uuids: [DEV] }],
        ];
        for (const [method, path, body] of every) {
            expect((await raw(method, path, body, null)).status, `${method} ${path}`).to.equal(401);
            emu.setFaults([
                { pathPrefix: path, method, status: 429, retryAfterSeconds: 1, times: 1 },
                { pathPrefix: path, method, status: 500, times: 1 },
            ]);
            const limited = await raw(method, path, body);
            expect([limited.status, limited.responseHeaders["retry-after"]]).to.deep.equal([429, "1"]);
            expect((await raw(method, path, body)).status).to.equal(500);
        }
    });

    it("every operation of the file was exercised, and the emulator routed each request as the spec does", () => {
        expect([...covered].sort()).to.deep.equal(operationIds(contract).sort());
        const fromSpec = proxy.exchanges.map((ex) => checkExchange(contract, ex).operationId ?? "unknown");
        const fromEmulator = emu
            .requests()
            .filter((r) => r.path.startsWith("/v2/kubernetes"))
            .map((r) => r.operationId);
        expect(fromEmulator).to.deep.equal(
            fromSpec.filter((_, i) => proxy.exchanges[i].url.startsWith("/v2/kubernetes")),
        );
    });
});
