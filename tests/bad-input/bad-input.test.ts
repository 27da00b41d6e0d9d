/**
 * Bad input, table-driven: every resource (through the real host's Check) and every data source
 * (getX called directly, DIGITALOCEAN_API_URL pointed at an emulator) gets malformed inputs:
 * wrong types, empty strings, 64-character names, upper case, negative or fractional
 * `expirySeconds`, unknown tiers and regions, unknown fields, 1 MB strings. Each must get a clear
 * error naming the field (and the allowed values where there are some), short enough to read
 * (a 1 MB input is not echoed back), before any request: the emulator must see none.
 *
 * The one documented exception: a well-formed region the account cannot use (`xyz9`) can only be
 * known by asking the API, so Check asks (GET options, and POST validate-name for a new name) and
 * fails naming the available regions; still nothing is created.
 */
import { expect } from "chai";
import {
    getGarbageCollections,
    getRegistries,
    getRegistry,
    getRegistryOptions,
    getRepositories,
    getRepositoryManifests,
    getRepositoryTags,
    getSubscription,
} from "../../provider";
import { startWorld, type World, type Kind } from "../../harness/world";

const HUGE = "a".repeat(1024 * 1024);
const HUGE_UPPER = "A".repeat(1024 * 1024);
const NAME_64 = "a".repeat(64);
const CLUSTER = "bd5f5959-5e1e-4205-a714-a914373942af";
/** A reason longer than this is not "clear" (and a 1 MB input must not be echoed). */
const MAX_REASON = 600;

type ResourceCase = [kind: Kind, label: string, news: Record<string, unknown>, property: string, reason: RegExp];

const TIERS = /starter, basic, professional/;

const resourceCases: ResourceCase[] = [
    // Registry
    ["Registry", "number as name", { name: 42 }, "name", /name: must be a string/],
    ["Registry", "empty name", { name: "" }, "name", /name: must not be empty/],
    ["Registry", "64-character name", { name: NAME_64 }, "name", /name: must be at most 63 characters/],
    ["Registry", "upper-case name", { name: "Acme-Dev" }, "name", /name: .*only lowercase letters, digits and '-'/],
    ["Registry", "1 MB name", { name: HUGE }, "name", /name: must be at most 63 characters/],
    ["Registry", "1 MB upper-case name", { name: HUGE_UPPER }, "name", /name: .*lowercase/],
    ["Registry", "malformed region", { name: "acme", region: "NYC 3" }, "region", /region: .*not a region slug/],
    ["Registry", "number as region", { name: "acme", region: 3 }, "region", /region: must be a region slug/],
    ["Registry", "1 MB region", { name: "acme", region: HUGE }, "region", /region: .*not a region slug/],
    ["Registry", "unknown tier", { name: "acme", subscriptionTierSlug: "gold" }, "subscriptionTierSlug", TIERS],
    ["Registry", "upper-case tier", { name: "acme", subscriptionTierSlug: "Basic" }, "subscriptionTierSlug", TIERS],
    ["Registry", "boolean as tier", { name: "acme", subscriptionTierSlug: true }, "subscriptionTierSlug", TIERS],
    ["Registry", "1 MB tier", { name: "acme", subscriptionTierSlug: HUGE }, "subscriptionTierSlug", TIERS],
    ["Registry", "empty tier", { name: "acme", subscriptionTierSlug: "" }, "subscriptionTierSlug", TIERS],
    ["Registry", "unknown field", { name: "acme", colour: "blue" }, "colour", /unknown input "colour"/],
    ["Registry", "missing name", { region: "nyc3" }, "name", /name: must be a string/],
    // Subscription
    ["Subscription", "unknown tier", { tierSlug: "enterprise" }, "tierSlug", TIERS],
    ["Subscription", "empty tier", { tierSlug: "" }, "tierSlug", TIERS],
    ["Subscription", "number as tier", { tierSlug: 2 }, "tierSlug", TIERS],
    ["Subscription", "1 MB tier", { tierSlug: HUGE }, "tierSlug", TIERS],
    ["Subscription", "missing tier", {}, "tierSlug", TIERS],
    ["Subscription", "unknown field", { tierSlug: "basic", seats: 3 }, "seats", /unknown input "seats"/],
    // RegistryCredentials
    [
        "RegistryCredentials",
        "empty registry name",
        { registryName: "" },
        "registryName",
        /registryName: must not be empty/,
    ],
    [
        "RegistryCredentials",
        "64-character registry name",
        { registryName: NAME_64 },
        "registryName",
        /at most 63 characters/,
    ],
    ["RegistryCredentials", "upper-case registry name", { registryName: "ACME" }, "registryName", /lowercase/],
    [
        "RegistryCredentials",
        "1 MB registry name",
        { registryName: HUGE_UPPER },
        "registryName",
        /at most 63 characters|lowercase/,
    ],
    [
        "RegistryCredentials",
        "negative expirySeconds",
        { registryName: "acme", expirySeconds: -1 },
        "expirySeconds",
        /expirySeconds: must be 0 \(never expires\) or more, got -1/,
    ],
    [
        "RegistryCredentials",
        "fractional expirySeconds",
        { registryName: "acme", expirySeconds: 1.5 },
        "expirySeconds",
        /expirySeconds: must be a whole number of seconds, got 1.5/,
    ],
    [
        "RegistryCredentials",
        "string expirySeconds",
        { registryName: "acme", expirySeconds: "3600" },
        "expirySeconds",
        /expirySeconds: must be a whole number of seconds/,
    ],
    [
        "RegistryCredentials",
        "expirySeconds past int32",
        { registryName: "acme", expirySeconds: 2 ** 31 },
        "expirySeconds",
        /expirySeconds: must be at most 2147483647/,
    ],
    [
        "RegistryCredentials",
        "string readWrite",
        { registryName: "acme", readWrite: "yes" },
        "readWrite",
        /readWrite: must be true or false/,
    ],
    [
        "RegistryCredentials",
        "negative renewBeforeSeconds",
        { registryName: "acme", renewBeforeSeconds: -5 },
        "renewBeforeSeconds",
        /renewBeforeSeconds: must be 0 or more/,
    ],
    [
        "RegistryCredentials",
        "renew window past expiry",
        { registryName: "acme", expirySeconds: 60, renewBeforeSeconds: 60 },
        "renewBeforeSeconds",
        /less than expirySeconds \(60\)/,
    ],
    ["RegistryCredentials", "unknown field", { registryName: "acme", scope: "push" }, "scope", /unknown input "scope"/],
    // RetentionPolicy
    ["RetentionPolicy", "upper-case registry name", { registryName: "Shop" }, "registryName", /lowercase/],
    [
        "RetentionPolicy",
        "negative keepLast",
        { registryName: "shop", keepLast: -1 },
        "keepLast",
        /keepLast: must be 0 or more, got -1/,
    ],
    [
        "RetentionPolicy",
        "fractional keepLast",
        { registryName: "shop", keepLast: 2.5 },
        "keepLast",
        /keepLast: must be a whole number of tags, got 2.5/,
    ],
    [
        "RetentionPolicy",
        "invalid regular expression",
        { registryName: "shop", keepTagsMatching: ["("] },
        "keepTagsMatching.0",
        /"\(" is not a valid regular expression/,
    ],
    [
        "RetentionPolicy",
        "string as repositories",
        { registryName: "shop", repositories: "api" },
        "repositories",
        /repositories: must be a list of repository globs/,
    ],
    [
        "RetentionPolicy",
        "empty glob",
        { registryName: "shop", repositories: [""] },
        "repositories.0",
        /a glob must not be empty/,
    ],
    [
        "RetentionPolicy",
        "unparseable runEvery",
        { registryName: "shop", runEvery: "soon" },
        "runEvery",
        /"soon" is not a duration/,
    ],
    ["RetentionPolicy", "1 MB runEvery", { registryName: "shop", runEvery: HUGE }, "runEvery", /is not a duration/],
    [
        "RetentionPolicy",
        "negative olderThanDays",
        { registryName: "shop", olderThanDays: -1 },
        "olderThanDays",
        /olderThanDays: must be 0 or more days/,
    ],
    [
        "RetentionPolicy",
        "unknown field",
        { registryName: "shop", keepFirst: 3 },
        "keepFirst",
        /unknown input "keepFirst"/,
    ],
    [
        "RetentionPolicy",
        "zero maxDeletionsPerRun",
        { registryName: "shop", maxDeletionsPerRun: 0 },
        "maxDeletionsPerRun",
        /maxDeletionsPerRun: must be 1 or more, got 0 \(use dryRun to delete nothing\)/,
    ],
    [
        "RetentionPolicy",
        "fractional maxDeletionsPerRun",
        { registryName: "shop", maxDeletionsPerRun: 2.5 },
        "maxDeletionsPerRun",
        /maxDeletionsPerRun: must be a whole number of DELETE requests, got 2.5/,
    ],
    [
        "RetentionPolicy",
        "string deleteEmptiedRepositories",
        { registryName: "shop", deleteEmptiedRepositories: "yes" },
        "deleteEmptiedRepositories",
        /deleteEmptiedRepositories: must be true or false/,
    ],
    [
        "RetentionPolicy",
        "deleteEmptiedRepositories without deleteUntaggedManifests",
        { registryName: "shop", deleteEmptiedRepositories: true },
        "deleteEmptiedRepositories",
        /needs deleteUntaggedManifests: true/,
    ],
    // GarbageCollection
    [
        "GarbageCollection",
        "64-character registry name",
        { registryName: NAME_64 },
        "registryName",
        /at most 63 characters/,
    ],
    [
        "GarbageCollection",
        "zero timeoutMinutes",
        { registryName: "shop", timeoutMinutes: 0 },
        "timeoutMinutes",
        /timeoutMinutes: must be more than 0 minutes/,
    ],
    [
        "GarbageCollection",
        "unknown type",
        { registryName: "shop", type: "everything" },
        "type",
        /not a garbage collection type; allowed: untagged manifests only/,
    ],
    [
        "GarbageCollection",
        "1 MB type",
        { registryName: "shop", type: HUGE },
        "type",
        /not a garbage collection type; allowed/,
    ],
    [
        "GarbageCollection",
        "string waitForCompletion",
        { registryName: "shop", waitForCompletion: "yes" },
        "waitForCompletion",
        /must be true or false/,
    ],
    [
        "GarbageCollection",
        "object in triggers",
        { registryName: "shop", triggers: { week: { n: 7 } } },
        "triggers.week",
        /triggers.week: must be a string, number or boolean/,
    ],
    ["GarbageCollection", "unknown field", { registryName: "shop", dryRun: true }, "dryRun", /unknown input "dryRun"/],
    // ClusterRegistryIntegration
    [
        "ClusterRegistryIntegration",
        "cluster name instead of id",
        { clusterIds: ["prod"], registryNames: ["shop"] },
        "clusterIds.0",
        /"prod" is not a cluster UUID/,
    ],
    [
        "ClusterRegistryIntegration",
        "1 MB cluster id",
        { clusterIds: [HUGE], registryNames: ["shop"] },
        "clusterIds.0",
        /is not a cluster UUID/,
    ],
    [
        "ClusterRegistryIntegration",
        "number as cluster id",
        { clusterIds: [7], registryNames: ["shop"] },
        "clusterIds.0",
        /must be a cluster UUID/,
    ],
    [
        "ClusterRegistryIntegration",
        "64-character registry name",
        { clusterIds: [CLUSTER], registryNames: [NAME_64] },
        "registryNames.0",
        /at most 63 characters/,
    ],
    [
        "ClusterRegistryIntegration",
        "duplicate registry",
        { clusterIds: [CLUSTER], registryNames: ["shop", "shop"] },
        "registryNames.1",
        /"shop" is listed twice/,
    ],
    [
        "ClusterRegistryIntegration",
        "empty registryNames",
        { clusterIds: [CLUSTER], registryNames: [] },
        "registryNames",
        /must name at least one registry/,
    ],
    [
        "ClusterRegistryIntegration",
        "unknown field",
        { clusterIds: [CLUSTER], registryNames: ["shop"], readWrite: true },
        "readWrite",
        /unknown input "readWrite"/,
    ],
];

type SourceCase = [label: string, call: () => Promise<unknown>, message: RegExp];

const sourceCases: SourceCase[] = [
    [
        "getRegistry: number as name",
        () => getRegistry({ name: 42 as unknown as string }),
        /getRegistry: invalid arguments: name: must be a string/,
    ],
    [
        "getRegistry: empty name",
        () => getRegistry({ name: "" }),
        /getRegistry: invalid arguments: name: must not be empty/,
    ],
    [
        "getRegistry: 64-character name",
        () => getRegistry({ name: NAME_64 }),
        /getRegistry: invalid arguments: name: must be at most 63 characters/,
    ],
    [
        "getRegistry: upper-case name",
        () => getRegistry({ name: "Acme" }),
        /getRegistry: invalid arguments: name: .*lowercase/,
    ],
    [
        "getRegistry: 1 MB upper-case name",
        () => getRegistry({ name: HUGE_UPPER }),
        /getRegistry: invalid arguments: name: /,
    ],
    [
        "getRegistry: unknown field",
        () => getRegistry({ name: "acme", region: "nyc3" } as never),
        /getRegistry: invalid arguments: unknown argument "region"/,
    ],
    [
        "getRegistry: no arguments",
        () => getRegistry(undefined as never),
        /getRegistry: invalid arguments: name: must be a string/,
    ],
    [
        "getRepositories: upper-case registry name",
        () => getRepositories({ registryName: "Shop" }),
        /getRepositories: invalid arguments: registryName: .*lowercase/,
    ],
    [
        "getRepositories: unknown field",
        () => getRepositories({ registryName: "shop", perPage: 10 } as never),
        /unknown argument "perPage"/,
    ],
    [
        "getRepositoryTags: empty repository",
        () => getRepositoryTags({ registryName: "shop", repository: "" }),
        /getRepositoryTags: invalid arguments: repository: must not be empty/,
    ],
    [
        "getRepositoryTags: 256-character repository",
        () => getRepositoryTags({ registryName: "shop", repository: "r".repeat(256) }),
        /repository: must be at most 255 characters/,
    ],
    [
        "getRepositoryTags: 1 MB repository",
        () => getRepositoryTags({ registryName: "shop", repository: HUGE }),
        /repository: must be at most 255 characters/,
    ],
    [
        "getRepositoryTags: lone surrogate in repository",
        () => getRepositoryTags({ registryName: "shop", repository: "api\ud800" }),
        /repository: contains an unpaired UTF-16 surrogate/,
    ],
    [
        "getRepositoryTags: number as registry name",
        () => getRepositoryTags({ registryName: 1 as unknown as string, repository: "api" }),
        /registryName: must be a string/,
    ],
    [
        "getRepositoryManifests: 64-character registry name",
        () => getRepositoryManifests({ registryName: NAME_64, repository: "api" }),
        /getRepositoryManifests: invalid arguments: registryName: must be at most 63/,
    ],
    [
        "getRepositoryManifests: missing repository",
        () => getRepositoryManifests({ registryName: "shop" } as never),
        /repository: must be a repository name/,
    ],
    [
        "getGarbageCollections: empty registry name",
        () => getGarbageCollections({ registryName: "" }),
        /getGarbageCollections: invalid arguments: registryName: must not be empty/,
    ],
    [
        "getGarbageCollections: 1 MB registry name",
        () => getGarbageCollections({ registryName: HUGE }),
        /registryName: must be at most 63/,
    ],
    [
        "getRegistries: apiUrl not a URL",
        () => getRegistries({ apiUrl: "not a url" }),
        /invalid DigitalOcean API URL "not a url" \(from the apiUrl option or DIGITALOCEAN_API_URL\)/,
    ],
    [
        "getRegistryOptions: plain http to a remote host",
        () => getRegistryOptions({ apiUrl: "http://api.example.com" }),
        /refusing to send the DigitalOcean token over plain http/,
    ],
    ["getSubscription: token with whitespace", () => getSubscription({ token: "dop v1" }), /token contains whitespace/],
];

describe("bad input: clear, field-named errors before any request", function () {
    this.timeout(120_000);
    let world: World;
    const savedEnv: Record<string, string | undefined> = {};

    before(async function () {
        world = await startWorld();
        for (const key of ["DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN", "DIGITALOCEAN_API_URL"])
            savedEnv[key] = process.env[key];
        process.env.DIGITALOCEAN_TOKEN = world.emulator.token;
        delete process.env.DIGITALOCEAN_ACCESS_TOKEN;
        process.env.DIGITALOCEAN_API_URL = world.emulator.url;
    });
    beforeEach(function () {
        world.emulator.reset();
    });
    after(async function () {
        for (const [key, value] of Object.entries(savedEnv)) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
        }
        await world?.stop();
    });

    describe("resources, through the host's Check", function () {
        for (const [kind, label, news, property, reason] of resourceCases) {
            it(`${kind}: ${label} -> ${property}`, async function () {
                const resource = await world.resource(kind, "bad");
                const result = await resource.check({}, news);
                const named = result.failures.filter((f) => f.property === property);
                expect(
                    named,
                    `a failure naming ${property}; got ${JSON.stringify(result.failures).slice(0, 300)}`,
                ).to.not.deep.equal([]);
                expect(named.map((f) => f.reason).join("\n")).to.match(reason);
                for (const f of result.failures)
                    expect(
                        f.reason.length,
                        `reason for ${f.property} is short (no echo of a huge input)`,
                    ).to.be.at.most(MAX_REASON);
                expect(
                    world.emulator.requests().map((r) => r.operationId),
                    "no request",
                ).to.deep.equal([]);
            });
        }

        it("Registry: a well-formed region the account cannot use fails via the API, naming the available ones (look-ups only)", async function () {
            const resource = await world.resource("Registry", "bad");
            const result = await resource.check({}, { name: "acme", region: "xyz9", subscriptionTierSlug: "basic" });
            expect(result.failures).to.have.length(1);
            expect(result.failures[0].property).to.equal("region");
            expect(result.failures[0].reason).to.match(
                /region: "xyz9" is not available for container registries; available: nyc3, .*fra1/,
            );
            const ops = world.emulator.requests().map((r) => r.operationId);
            expect(
                ops.filter(
                    (op) => !["registries_get_options", "registries_list", "registries_validate_name"].includes(op),
                ),
                "only look-ups",
            ).to.deep.equal([]);
            expect(world.emulator.snapshot().registries).to.deep.equal([]);
        });
    });

    describe("data sources, called directly", function () {
        for (const [label, call, message] of sourceCases) {
            it(label, async function () {
                const err = await call().then(
                    () => undefined,
                    (e: unknown) => e as Error,
                );
                expect(err, "rejects").to.be.instanceOf(Error);
                expect(err!.message).to.match(message);
                expect(err!.message.length, "short (no echo of a huge input)").to.be.at.most(MAX_REASON);
                expect(
                    world.emulator.requests().map((r) => r.operationId),
                    "no request",
                ).to.deep.equal([]);
            });
        }
    });
});
