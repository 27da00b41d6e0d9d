import { expect } from "chai";
import { startEmulator, type FixtureRepository, type RunningEmulator } from "../../emulator";
import { DocrClient, errorKind } from "../../provider/client";
import { checkExchange, failures, loadContract, type Contract } from "./contract";
import { startProxy, type Exchange, type RecordingProxy } from "./proxy";
import { collect } from "../../provider/client/pagination";

const TOKEN = "dop_v1_contract0123456789abcdef0123456789abcdef0123456789abcdef";
const TAGS = 450; // three pages of 200
const REPOS = 205; // two repositoriesV2 pages, the second reached by page_token

/**
 * Every DocrClient method, through a recording proxy in front of the emulator: each request the
 * client puts on the wire validates against its operation, and each response the emulator returns
 * validates against that operation's schema for the status.
 */
describe("contract: every client request and emulator response conforms to the OpenAPI file", function () {
    let contract: Contract;
    let emu: RunningEmulator;
    let proxy: RecordingProxy;
    let client: DocrClient;
    const covered = new Set<string>();

    /** Runs `fn`, checks every exchange it caused, and returns them with their operationIds. */
    async function conforming<T>(fn: () => Promise<T>): Promise<{ value: T; ops: string[]; exchanges: Exchange[] }> {
        const { value, exchanges } = await proxy.during(fn);
        expect(exchanges.length, "no request reached the proxy").to.be.greaterThan(0);
        expect(failures(contract, exchanges)).to.deep.equal([]);
        const ops = exchanges.map((ex) => checkExchange(contract, ex).operationId ?? "?");
        ops.forEach((op) => covered.add(op));
        return { value, ops, exchanges };
    }

    before(async () => {
        contract = await loadContract();
        const many: FixtureRepository[] = Array.from({ length: REPOS - 2 }, (_, i) => ({
            name: `svc-${String(i).padStart(3, "0")}`,
            manifests: [{ tags: ["v1"] }],
        }));
        emu = await startEmulator({
            token: TOKEN,
            seed: 11,
            rateLimitPerMinute: 0,
            gcStepMs: 40,
            fixture: {
                subscriptionTier: "professional",
                takenNames: ["held-elsewhere"],
                registries: [
                    {
                        name: "acme",
                        region: "fra1",
                        repositories: [
                            {
                                name: "team/app",
                                manifests: [
                                    { digest: `sha256:${"a".repeat(64)}`, tags: ["v1", "latest"] },
                                    { digest: `sha256:${"c".repeat(64)}`, tags: ["v0"] },
                                    { digest: `sha256:${"e".repeat(64)}`, tags: [] },
                                ],
                            },
                            { name: "ci/big", generate: { tagCount: TAGS, seed: 5 } },
                            ...many,
                        ],
                    },
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

    it("listRegistries: GET /v2/registries (registries carry their subscription)", async () => {
        const { value, ops } = await conforming(() => client.listRegistries());
        expect(ops).to.deep.equal(["registries_list"]);
        expect(value.map((r) => r.name)).to.deep.equal(["acme"]);
        expect(value[0]?.subscription?.tier?.slug).to.equal("professional");
    });

    it("getOptions and getSubscription", async () => {
        const { ops } = await conforming(async () => {
            await client.getOptions();
            await client.getSubscription();
        });
        expect(ops).to.deep.equal(["registries_get_options", "registries_get_subscription"]);
    });

    it("updateSubscription: POST {tier_slug} (200), and 412 when the account is not eligible", async () => {
        const { ops, exchanges } = await conforming(async () => {
            await client.updateSubscription("professional");
            await client.createRegistry({ name: "second", region: "sfo2" }); // two registries: starter is out of reach
            const err = await client.updateSubscription("starter").catch((e: unknown) => e);
            expect(errorKind(err)).to.equal("precondition_failed");
        });
        expect(ops).to.deep.equal([
            "registries_update_subscription",
            "registries_create",
            "registries_update_subscription",
        ]);
        expect(exchanges.map((e) => e.status)).to.deep.equal([200, 201, 412]);
    });

    it("validateName: 204 when free, 409 when taken (both declared by the operation)", async () => {
        const { value, exchanges } = await conforming(async () => [
            await client.validateName("free-name"),
            await client.validateName("held-elsewhere"),
        ]);
        expect(value).to.deep.equal([true, false]);
        expect(exchanges.map((e) => [checkExchange(contract, e).responseKey, e.status])).to.deep.equal([
            ["204", 204],
            ["409", 409],
        ]);
    });

    it("createRegistry: with a tier (201), and 409 for a taken name (the operation's default response)", async () => {
        const { exchanges } = await conforming(async () => {
            const r = await client.createRegistry({
                name: "third",
                region: "ams3",
                subscription_tier_slug: "professional",
            });
            expect(r.name).to.equal("third");
            const err = await client.createRegistry({ name: "held-elsewhere" }).catch((e: unknown) => e);
            expect(errorKind(err)).to.equal("conflict");
        });
        expect(exchanges.map((e) => [e.status, checkExchange(contract, e).responseKey])).to.deep.equal([
            [201, "201"],
            [409, "default"],
        ]);
    });

    it("getRegistry (200) and a missing one (404)", async () => {
        const { ops, exchanges } = await conforming(async () => {
            await client.getRegistry("acme");
            expect(errorKind(await client.getRegistry("nowhere").catch((e: unknown) => e))).to.equal("not_found");
        });
        expect(ops).to.deep.equal(["registries_get", "registries_get"]);
        expect(exchanges.map((e) => e.status)).to.deep.equal([200, 404]);
    });

    it("getDockerCredentials: default, and read_write + expiry_seconds as query parameters", async () => {
        const { exchanges } = await conforming(async () => {
            await client.getDockerCredentials("acme");
            await client.getDockerCredentials("acme", { readWrite: true, expirySeconds: 3600 });
        });
        expect(exchanges.map((e) => e.url)).to.deep.equal([
            "/v2/registries/acme/docker-credentials",
            "/v2/registries/acme/docker-credentials?read_write=true&expiry_seconds=3600",
        ]);
    });

    it(`listRepositories: ${REPOS} repositories, page 2 reached through page_token`, async () => {
        const { value, exchanges } = await conforming(() => collect(client.listRepositories("acme")));
        expect(value).to.have.length(REPOS);
        expect(new Set(value.map((r) => r.name)).size).to.equal(REPOS);
        expect(exchanges).to.have.length(Math.ceil(REPOS / 200));
        expect(new URL(exchanges[1]?.url ?? "", "http://x").searchParams.get("page_token"))
            .to.be.a("string")
            .and.not.equal("");
    });

    it(`listTags: ${TAGS} tags of "ci/big" (sent as ci%2Fbig) in ceil(N/200) requests`, async () => {
        const { value, exchanges } = await conforming(() => collect(client.listTags("acme", "ci/big")));
        expect(value).to.have.length(TAGS);
        expect(new Set(value.map((t) => t.tag)).size).to.equal(TAGS);
        expect(exchanges).to.have.length(Math.ceil(TAGS / 200));
        for (const ex of exchanges)
            expect(ex.url).to.match(/^\/v2\/registries\/acme\/repositories\/ci%2Fbig\/tags\?per_page=200&page=\d$/);
    });

    it("listManifests", async () => {
        const { value, ops } = await conforming(() => collect(client.listManifests("acme", "team/app")));
        expect(value).to.have.length(3);
        expect(ops).to.deep.equal(["registries_list_repositoryManifests"]);
    });

    it("garbage collection: none active (404), start with a type (201), active (200), cancel (200), start without a body, list", async () => {
        const { ops, exchanges } = await conforming(async () => {
            expect(await client.getActiveGarbageCollection("acme")).to.equal(undefined);
            const gc = await client.startGarbageCollection("acme", { type: "untagged manifests only" });
            await client.getActiveGarbageCollection("acme");
            await client.cancelGarbageCollection("acme", gc.uuid);
            await client.startGarbageCollection("acme");
            expect(await collect(client.listGarbageCollections("acme"))).to.have.length(2);
        });
        expect(ops).to.deep.equal([
            "registries_get_garbageCollection",
            "registries_run_garbageCollection",
            "registries_get_garbageCollection",
            "registries_update_garbageCollection",
            "registries_run_garbageCollection",
            "registries_list_garbageCollections",
        ]);
        expect(exchanges.map((e) => e.status)).to.deep.equal([404, 201, 200, 200, 201, 200]);
        expect(exchanges[1]?.requestBody).to.equal(JSON.stringify({ type: "untagged manifests only" }));
        expect(exchanges[4]?.requestBody).to.equal("");
    });

    it("deleteTag, deleteManifest (digest with ':' kept literal), deleteRepository, deleteRegistry: 204 each", async () => {
        const { ops, exchanges } = await conforming(async () => {
            await client.deleteTag("acme", "team/app", "v0");
            await client.deleteManifest("acme", "team/app", `sha256:${"e".repeat(64)}`);
            await client.deleteRepository("acme", "team/app");
            await client.deleteRegistry("third");
        });
        expect(ops).to.deep.equal([
            "registries_delete_repositoryTag",
            "registries_delete_repositoryManifest",
            "registries_delete_repository",
            "registries_delete",
        ]);
        expect(exchanges.map((e) => e.status)).to.deep.equal([204, 204, 204, 204]);
    });

    it("the emulator routed every request to the operation the spec routes it to", () => {
        const fromSpec = proxy.exchanges.map((ex) => checkExchange(contract, ex).operationId).sort();
        const fromEmulator = emu
            .requests()
            .map((r) => r.operationId)
            .sort();
        expect(fromEmulator).to.deep.equal(fromSpec);
    });

    it("all 19 name-addressed operations of the spec were exercised by the client", () => {
        expect(contract.nameAddressed).to.have.length(19);
        expect([...covered].sort()).to.deep.equal([...contract.nameAddressed].sort());
    });
});
