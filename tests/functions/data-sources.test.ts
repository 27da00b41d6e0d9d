import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { generateRepository, startEmulator, type RunningEmulator } from "../../emulator";
import * as docr from "../../provider";

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((done) => output.apply((v) => done(v)));
}

describe("data sources against the emulator", function () {
    let emulator: RunningEmulator;
    let opts: docr.Connection;

    before(async function () {
        emulator = await startEmulator({ rateLimitPerMinute: 0, gcStepMs: 10 });
        opts = { token: emulator.token, apiUrl: emulator.url };
        emulator.seed({
            subscriptionTier: "professional",
            registries: [
                {
                    name: "acme-prod",
                    region: "fra1",
                    repositories: [
                        generateRepository({ name: "api", tagCount: 450, untaggedCount: 30, seed: 1 }),
                        generateRepository({ name: "team/web", tagCount: 3, seed: 2 }),
                    ],
                },
                { name: "acme-dev", region: "nyc3", repositories: [] },
            ],
        });
    });
    after(async function () {
        await emulator?.stop();
    });
    beforeEach(function () {
        emulator.clearRequests();
    });

    it("getRegistryOptions: regions and tiers with eligibility", async function () {
        const options = await docr.getRegistryOptions(opts);
        expect(options.availableRegions).to.include.members(["nyc3", "fra1"]);
        expect(options.subscriptionTiers.map((t) => t.slug)).to.deep.equal(["starter", "basic", "professional"]);
        const starter = options.subscriptionTiers.find((t) => t.slug === "starter")!;
        expect(starter.eligible, "two registries and many repositories").to.equal(false);
        expect(starter.eligibilityReasons).to.include("OverRepositoryLimit");
        expect((await resolve(docr.getRegistryOptionsOutput(opts))).availableRegions).to.deep.equal(
            options.availableRegions,
        );
    });

    it("getRegistries, getRegistry and getRegistryOutput", async function () {
        const { registries } = await docr.getRegistries(opts);
        expect(registries.map((r) => r.name).sort()).to.deep.equal(["acme-dev", "acme-prod"]);
        expect(registries[0].subscriptionTierSlug).to.equal("professional");
        const prod = await docr.getRegistry({ name: "acme-prod" }, opts);
        expect(prod).to.include({
            name: "acme-prod",
            region: "fra1",
            serverUrl: "registry.digitalocean.com/acme-prod",
        });
        expect(prod.storageUsageBytes).to.be.greaterThan(0);
        const viaOutput = await resolve(docr.getRegistryOutput({ name: pulumi.output("acme-dev") }, opts));
        expect(viaOutput.region).to.equal("nyc3");
    });

    it("getRegistry names a registry that does not exist", async function () {
        const err = await docr.getRegistry({ name: "nope" }, opts).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.match(/^getRegistry: registry "nope" not found \(404/);
        expect(docr.errorKind(err), "typed like the client's errors").to.equal("not_found");
        expect(err).to.be.instanceOf(docr.NotFoundError);
    });

    it("getSubscription", async function () {
        const plan = await docr.getSubscription(opts);
        expect(plan).to.include({ tierSlug: "professional", tierName: "Professional" });
        expect(plan.monthlyPriceInCents).to.be.a("number");
    });

    it("getRepositories: every repository with latest tag and counts", async function () {
        const { repositories } = await docr.getRepositories({ registryName: "acme-prod" }, opts);
        expect(repositories.map((r) => r.name)).to.deep.equal(["api", "team/web"]);
        const api = repositories[0];
        expect(api.tagCount).to.equal(450);
        expect(api.manifestCount).to.be.greaterThan(400);
        expect(api.latestTag).to.be.a("string");
    });

    it("getRepositoryTags: a large list comes back complete in ceil(N/200) requests", async function () {
        const { tags } = await docr.getRepositoryTags({ registryName: "acme-prod", repository: "api" }, opts);
        expect(tags).to.have.length(450);
        expect(new Set(tags.map((t) => t.tag)).size).to.equal(450);
        const requests = emulator.requests().filter((r) => r.operationId === "registries_list_repositoryTags");
        expect(requests).to.have.length(3);
    });

    it("getRepositoryTags and getRepositoryManifests reach repositories with '/' in their name", async function () {
        const { tags } = await resolve(
            docr.getRepositoryTagsOutput({ registryName: "acme-prod", repository: "team/web" }, opts),
        );
        expect(tags.length).to.be.greaterThan(0);
        const { manifests } = await docr.getRepositoryManifests(
            { registryName: "acme-prod", repository: "team/web" },
            opts,
        );
        expect(manifests.length).to.be.greaterThan(0);
        expect(manifests[0].digest).to.match(/^sha256:/);
        expect(emulator.requests().every((r) => !r.path.includes("team/web"))).to.equal(true);
    });

    it("getGarbageCollections: active and past runs", async function () {
        const none = await docr.getGarbageCollections({ registryName: "acme-prod" }, opts);
        expect(none).to.deep.equal({ registryName: "acme-prod", runs: [] });
        const client = new docr.DocrClient(opts.token ? { token: opts.token, apiUrl: opts.apiUrl } : {});
        const started = await client.startGarbageCollection("acme-prod");
        const gc = await docr.getGarbageCollections({ registryName: "acme-prod" }, opts);
        expect(gc.runs.map((r) => r.uuid)).to.deep.equal([started.uuid]);
        expect(gc.active?.uuid ?? gc.runs[0].uuid).to.equal(started.uuid);
    });

    it("names a missing registry or repository", async function () {
        const repos = await docr.getRepositories({ registryName: "ghost" }, opts).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(repos?.message).to.match(/^getRepositories: registry "ghost" not found \(404/);
        expect(docr.errorKind(repos)).to.equal("not_found");
        const tags = await docr.getRepositoryTags({ registryName: "acme-prod", repository: "ghost" }, opts).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(tags?.message).to.match(
            /^getRepositoryTags: repository "ghost" in registry "acme-prod" not found \(404/,
        );
        const gcs = await docr.getGarbageCollections({ registryName: "ghost" }, opts).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(gcs?.message).to.match(/^getGarbageCollections: registry "ghost" not found \(404/);
    });

    it("rejects bad arguments naming the field, before any request", async function () {
        const cases: [() => Promise<unknown>, RegExp][] = [
            [
                () => docr.getRegistry({ name: "Bad Name" }, opts),
                /getRegistry: invalid arguments: name: "Bad Name" may contain only/,
            ],
            [() => docr.getRepositories({ registryName: "" }, opts), /registryName: must not be empty/],
            [
                () => docr.getRepositoryTags({ registryName: "acme-prod", repository: "" }, opts),
                /repository: must not be empty/,
            ],
            [
                () => docr.getRegistry({ name: "acme", extra: 1 } as unknown as docr.GetRegistryArgs, opts),
                /unknown argument "extra"/,
            ],
        ];
        for (const [call, message] of cases) {
            const err = await call().then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.match(message);
            expect(docr.errorKind(err), String(message)).to.equal("bad_request");
        }
        expect(emulator.requests()).to.deep.equal([]);
    });

    it("a rejected token is unauthorized and names the config key (the client's own message does not)", async function () {
        const wrong = { token: "dop_v1_not_the_right_one", apiUrl: emulator.url };
        const err = await docr.getRegistries(wrong).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(docr.errorKind(err)).to.equal("unauthorized");
        expect(err?.message).to.include("digitalocean:token");
        expect(err?.message).to.not.include("not_the_right_one");
        const direct = await new docr.DocrClient(wrong).listRegistries().then(
            () => undefined,
            (e: Error) => e,
        );
        expect(docr.errorKind(direct)).to.equal("unauthorized");
        expect(direct?.message).to.not.include("digitalocean:token");
        const missing = await docr.getRegistry({ name: "nope" }, wrong).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(missing?.message, "through dataSourceCall() too").to.include("digitalocean:token");
    });

    it("reads the token and URL from the environment when not given", async function () {
        const saved = { ...process.env };
        process.env.DIGITALOCEAN_TOKEN = emulator.token;
        process.env.DIGITALOCEAN_API_URL = emulator.url;
        try {
            const { registries } = await docr.getRegistries();
            expect(registries).to.have.length(2);
        } finally {
            for (const key of ["DIGITALOCEAN_TOKEN", "DIGITALOCEAN_API_URL"]) {
                if (saved[key] === undefined) delete process.env[key];
                else process.env[key] = saved[key];
            }
        }
    });
});
