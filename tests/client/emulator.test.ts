import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { DocrClient, errorKind, type ClientOptions } from "../../provider/client";
import { caught } from "./fake-server";
import { collect } from "../../provider/client/pagination";

const TOKEN = "dop_v1_EMUCANARY9f8e7d6c5b4a3210feedfacecafebeef";
const BIG_TAGS = 1050;

describe("client against the emulator (real HTTP)", function () {
    let emu: RunningEmulator;
    const logs: string[] = [];
    const errors: unknown[] = [];

    function client(extra: ClientOptions = {}): DocrClient {
        return new DocrClient({
            token: TOKEN,
            apiUrl: emu.url,
            retryBaseDelayMs: 2,
            retryMaxDelayMs: 20,
            timeoutMs: 5000,
            maxRequestsPerMinute: 6_000_000,
            logger: (level, message) => logs.push(`${level} ${message}`),
            ...extra,
        });
    }
    async function failure(fn: () => Promise<unknown>) {
        const err = await caught(fn);
        errors.push(err);
        return err;
    }
    const ops = (operationId: string) => emu.requests().filter((r) => r.operationId === operationId);

    before(async () => {
        emu = await startEmulator({
            token: TOKEN,
            seed: 7,
            rateLimitPerMinute: 0,
            gcStepMs: 30,
            fixture: {
                subscriptionTier: "basic",
                takenNames: ["held-elsewhere"],
                registries: [
                    {
                        name: "acme",
                        region: "fra1",
                        repositories: [
                            {
                                name: "team/app",
                                manifests: [
                                    {
                                        digest: `sha256:${"a".repeat(64)}`,
                                        tags: ["v1", "latest"],
                                        blobs: [{ digest: `sha256:${"b".repeat(64)}`, sizeBytes: 2000 }],
                                    },
                                    {
                                        digest: `sha256:${"c".repeat(64)}`,
                                        tags: ["v0"],
                                        blobs: [{ digest: `sha256:${"d".repeat(64)}`, sizeBytes: 1000 }],
                                    },
                                ],
                            },
                            { name: "ci/big", generate: { tagCount: BIG_TAGS, seed: 3 } },
                        ],
                    },
                ],
            },
        });
    });
    after(async () => emu?.stop());
    beforeEach(() => {
        emu.setFaults([]);
        emu.clearRequests();
    });

    it("registries: validate, create, get, list, delete; subscription and options", async () => {
        const c = client();
        expect(await c.validateName("held-elsewhere")).to.equal(false);
        expect(await c.validateName("beta")).to.equal(true);
        const options = await c.getOptions();
        expect(options.subscription_tiers.map((t) => t.slug)).to.include.members(["starter", "basic", "professional"]);
        expect(options.available_regions).to.include("fra1");
        expect((await c.getSubscription()).tier.slug).to.equal("basic");
        expect((await c.updateSubscription("professional")).tier.slug).to.equal("professional");
        const created = await c.createRegistry({ name: "beta", region: "ams3" });
        expect(created).to.include({ name: "beta", region: "ams3" });
        expect((await c.getRegistry("beta")).name).to.equal("beta");
        expect((await c.listRegistries()).map((r) => r.name)).to.include.members(["acme", "beta"]);
        expect(await c.validateName("beta")).to.equal(false);
        await c.deleteRegistry("beta");
        const gone = await failure(() => c.getRegistry("beta"));
        expect(errorKind(gone)).to.equal("not_found");
        expect(gone.message).to.match(/^registries_get: registry "beta" not found \(404 not_found, request \S+\)$/);
        expect(emu.snapshot().registries.map((r) => r.name)).to.deep.equal(["acme"]);
    });

    it("docker credentials pass read_write and expiry_seconds", async () => {
        const creds = await client().getDockerCredentials("acme", { readWrite: true, expirySeconds: 3600 });
        expect(creds.auths["registry.digitalocean.com"]?.auth).to.be.a("string").and.not.equal("");
        const issued = emu.credentials().at(-1);
        expect(issued).to.include({ registry: "acme", readWrite: true, expirySeconds: 3600 });
    });

    it("repositories, tags and manifests; repository names travel encoded", async () => {
        const c = client();
        const repos = await collect(c.listRepositories("acme"));
        expect(repos.map((r) => r.name)).to.include.members(["team/app", "ci/big"]);
        const tags = await collect(c.listTags("acme", "team/app"));
        expect(tags.map((t) => t.tag).sort()).to.deep.equal(["latest", "v0", "v1"]);
        const manifests = await collect(c.listManifests("acme", "team/app"));
        expect(manifests).to.have.length(2);
        expect(ops("registries_list_repositoryTags")[0].path).to.equal(
            "/v2/registries/acme/repositories/team%2Fapp/tags",
        );
    });

    it(`lists ${BIG_TAGS} tags each exactly once in ceil(N/200) requests`, async () => {
        const tags = await collect(client().listTags("acme", "ci/big"));
        expect(tags).to.have.length(BIG_TAGS);
        expect(new Set(tags.map((t) => t.tag)).size).to.equal(BIG_TAGS);
        const requests = ops("registries_list_repositoryTags");
        expect(requests).to.have.length(Math.ceil(BIG_TAGS / 200));
        expect(requests.every((r) => r.query.per_page === "200" && r.status === 200)).to.equal(true);
        expect(requests.map((r) => Number(r.query.page)).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6]);
        const expected = emu
            .snapshot()
            .registries[0].repositories.find((r) => r.name === "ci/big")!
            .manifests.flatMap((m) => m.tags);
        expect(tags.map((t) => t.tag).sort()).to.deep.equal([...expected].sort());
    });

    it("deletes a tag, a manifest and a repository", async () => {
        const c = client();
        await c.deleteTag("acme", "team/app", "v1");
        expect((await collect(c.listTags("acme", "team/app"))).map((t) => t.tag).sort()).to.deep.equal([
            "latest",
            "v0",
        ]);
        await c.deleteManifest("acme", "team/app", `sha256:${"c".repeat(64)}`);
        expect((await collect(c.listManifests("acme", "team/app"))).map((m) => m.digest)).to.deep.equal([
            `sha256:${"a".repeat(64)}`,
        ]);
        await c.deleteRepository("acme", "team/app");
        expect((await collect(c.listRepositories("acme"))).map((r) => r.name)).not.to.include("team/app");
        const err = await failure(() => c.deleteTag("acme", "team/app", "latest"));
        expect(errorKind(err)).to.equal("not_found");
    });

    it("garbage collection: start, active, conflict (not retried), cancel, list, none active", async () => {
        const c = client();
        const gc = await c.startGarbageCollection("acme", { type: "unreferenced blobs only" });
        expect(gc.uuid).to.be.a("string");
        expect((await c.getActiveGarbageCollection("acme"))?.uuid).to.equal(gc.uuid);
        const second = await failure(() => c.startGarbageCollection("acme"));
        expect(errorKind(second)).to.equal("conflict");
        expect(ops("registries_run_garbageCollection")).to.have.length(2);
        const cancelled = await c.cancelGarbageCollection("acme", gc.uuid);
        expect(cancelled.status).to.match(/cancel/);
        expect((await collect(c.listGarbageCollections("acme"))).map((g) => g.uuid)).to.include(gc.uuid);
        expect(await c.getActiveGarbageCollection("acme")).to.equal(undefined);
    });

    it("retries 429 with Retry-After (fault rule)", async () => {
        emu.setFaults([{ operationId: "registries_get", status: 429, retryAfterSeconds: 1, times: 1 }]);
        const started = Date.now();
        expect((await client().getRegistry("acme")).name).to.equal("acme");
        expect(Date.now() - started).to.be.at.least(950);
        expect(ops("registries_get").map((r) => r.status)).to.deep.equal([429, 200]);
    });

    it("retries 503 and dropped connections for reads", async () => {
        emu.setFaults([
            { operationId: "registries_get_subscription", status: 503, times: 2 },
            { operationId: "registries_list", dropConnection: true, times: 1 },
        ]);
        const c = client();
        expect((await c.getSubscription()).tier.slug).to.be.a("string");
        expect((await c.listRegistries()).length).to.be.greaterThan(0);
        expect(ops("registries_get_subscription").map((r) => r.status)).to.deep.equal([503, 503, 200]);
        expect(ops("registries_list").map((r) => r.status)).to.deep.equal([0, 200]);
    });

    it("retries faults on list pages without losing or duplicating tags", async () => {
        emu.setFaults([{ operationId: "registries_list_repositoryTags", status: 502, rate: 0.3 }]);
        const tags = await collect(client({ maxAttempts: 10 }).listTags("acme", "ci/big"));
        expect(new Set(tags.map((t) => t.tag)).size).to.equal(BIG_TAGS);
        expect(tags).to.have.length(BIG_TAGS);
        expect(ops("registries_list_repositoryTags").filter((r) => r.status === 200)).to.have.length(6);
        expect(ops("registries_list_repositoryTags").some((r) => r.status === 502)).to.equal(true);
    });

    it("never retries create: 503, and a dropped response after the server acted", async () => {
        const c = client();
        emu.setFaults([{ operationId: "registries_create", status: 503 }]);
        const refused = await failure(() => c.createRegistry({ name: "gamma", region: "fra1" }));
        expect(errorKind(refused)).to.equal("server_error");
        expect(ops("registries_create")).to.have.length(1);
        emu.clearRequests();
        emu.setFaults([{ operationId: "registries_create", dropConnection: true, afterHandling: true }]);
        const lost = await failure(() => c.createRegistry({ name: "gamma", region: "fra1" }));
        expect(errorKind(lost)).to.equal("network");
        expect(lost.message).to.include("not retried automatically");
        expect(ops("registries_create")).to.have.length(1);
        emu.setFaults([]);
        expect((await c.getRegistry("gamma")).name).to.equal("gamma"); // the caller reconciles by lookup
        await c.deleteRegistry("gamma");
    });

    it("malformed bodies give zod-backed malformed_response errors", async () => {
        const c = client();
        emu.setFaults([{ operationId: "registries_get", malformedBody: "json" }]);
        const truncated = await failure(() => c.getRegistry("acme"));
        expect(errorKind(truncated)).to.equal("malformed_response");
        expect(truncated.message).to.match(/^registries_get: malformed response: body is not valid JSON/);
        emu.setFaults([{ operationId: "registries_get", malformedBody: "schema" }]);
        const wrongType = await failure(() => c.getRegistry("acme"));
        expect(errorKind(wrongType)).to.equal("malformed_response");
        expect(wrongType.fieldPath).to.match(/^registry\./);
        expect(wrongType.message).to.include(`at ${String(wrongType.fieldPath)}`);
        expect(ops("registries_get")).to.have.length(2); // not retried
    });

    it("a rejected token gives kind unauthorized without echoing either token", async () => {
        const wrong = "dop_v1_WRONGCANARY00000000000000000000000000";
        const err = await failure(() => client({ token: wrong }).listRegistries());
        expect(errorKind(err)).to.equal("unauthorized");
        expect(`${err.message}\n${err.stack}\n${JSON.stringify(err)}`).not.to.include("WRONGCANARY");
    });

    it("the emulator's own rate limit: 429 + Retry-After beyond the quota wait budget fails fast, saying why", async () => {
        const limited = await startEmulator({
            token: TOKEN,
            rateLimitPerMinute: 2,
            fixture: { registries: [{ name: "acme" }] },
        });
        try {
            const c = new DocrClient({
                token: TOKEN,
                apiUrl: limited.url,
                maxRequestsPerMinute: 6_000_000,
                maxQuotaWaitMs: 1500,
                logger: (l, m) => logs.push(`${l} ${m}`),
            });
            await c.getRegistry("acme");
            await c.getRegistry("acme");
            const err = await failure(() => c.getRegistry("acme"));
            expect(errorKind(err)).to.equal("rate_limited");
            expect(err.message).to.match(/per-minute limit would exceed the 1500 ms quota wait budget/);
            expect(limited.requests().map((r) => r.status)).to.deep.equal([200, 200, 429]);
        } finally {
            await limited.stop();
        }
    });

    it("the token appears in no error message, stack or captured log line (collected across this suite)", () => {
        expect(errors.length).to.be.greaterThan(5);
        expect(logs.some((l) => l.startsWith("warn"))).to.equal(true);
        const text = [
            ...logs,
            ...errors.map((e) => `${(e as Error).message}\n${(e as Error).stack}\n${JSON.stringify(e)}`),
        ].join("\n");
        expect(text).not.to.include(TOKEN);
        expect(text).not.to.include(TOKEN.slice(7));
        expect(JSON.stringify(emu.requests())).not.to.include(TOKEN);
    });
});
