import { expect } from "chai";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { parseCommand, UsageError, type ImportRequest } from "../../importer/args";
import { programCode } from "../../importer/code";
import { planImport } from "../../importer/entries";
import { DocrClient } from "../../provider/client";

const DEV = "6a1f2e4c-8d3b-4c5a-9e7f-0b1c2d3e4f50";
const PROD = "7b2e3f5d-9e4c-4d6b-8f80-1c2d3e4f5061";

function request(argv: string[]): ImportRequest {
    const command = parseCommand(argv);
    if (command.kind !== "import") throw new Error(`not an import: ${argv.join(" ")}`);
    return command;
}

describe("docr-import: the command line and the import plan", function () {
    describe("command line", function () {
        const bad: [string[], RegExp][] = [
            [[], /nothing to import/],
            [["--registry", "a", "--all"], /--all and --registry exclude each other/],
            [["--all", "--name", "x"], /--name names one registry/],
            [["--registry", "a", "--name", "1 x"], /--name "1 x" is not a resource name/],
            [["--registry", "a", "--registry", "a"], /--registry "a" is given twice/],
            [["--cluster", DEV], /--cluster needs --registry NAME or --all/],
            [["--registry", "a", "--out", ""], /--out needs a file name/],
            [["--registry"], /--registry/],
            [["--pending"], /Unknown option '--pending'/],
        ];
        for (const [argv, message] of bad) {
            it(`refuses ${JSON.stringify(argv)}, naming the flag`, function () {
                expect(() => parseCommand(argv))
                    .to.throw(UsageError)
                    .with.property("message")
                    .that.matches(message);
            });
        }
        it("reads a full command", function () {
            expect(
                request(["--registry", "a", "--name", "legacy", "--subscription", "--out", "f.json", "--js"]),
            ).to.deep.equal({
                kind: "import",
                registries: ["a"],
                all: false,
                name: "legacy",
                subscription: true,
                clusters: [],
                out: "f.json",
                js: true,
                stack: undefined,
            });
        });
    });

    describe("plan, against the emulator", function () {
        let emulator: RunningEmulator;
        let client: DocrClient;
        const provider = (kind: string) => Promise.resolve(`<${kind} provider>`);
        beforeEach(async function () {
            emulator = await startEmulator({ rateLimitPerMinute: 0 });
            emulator.seed({
                subscriptionTier: "professional",
                registries: [
                    { name: "acme-base", region: "nyc3" },
                    { name: "acme-prod", region: "fra1" },
                ],
                clusters: [
                    { id: DEV, name: "dev-cluster", region: "nyc1", registries: [] },
                    { id: PROD, name: "prod-cluster", region: "fra1", registries: ["acme-base", "acme-prod"] },
                ],
            });
            client = new DocrClient({ token: emulator.token, apiUrl: emulator.url });
            emulator.clearRequests();
        });
        afterEach(async function () {
            await emulator.stop();
        });

        it("one registry: inputs with the tier and __provider, outputs as a create makes them; one request", async function () {
            const plan = await planImport(client, request(["--registry", "acme-prod", "--name", "prod"]), provider);
            expect(emulator.requests().map((r) => r.operationId)).to.deep.equal(["registries_list"]);
            expect(plan.entries).to.have.length(1);
            const [entry] = plan.entries;
            expect(entry).to.include({ type: "pulumi-nodejs:dynamic/docr:Registry", name: "prod", id: "acme-prod" });
            expect(entry.inputs).to.deep.equal({
                name: "acme-prod",
                region: "fra1",
                subscriptionTierSlug: "professional",
                __provider: "<Registry provider>",
            });
            expect(entry.outputs).to.include({
                name: "acme-prod",
                region: "fra1",
                serverUrl: "registry.digitalocean.com/acme-prod",
                subscriptionTierSlug: "professional",
                __provider: "<Registry provider>",
            });
            expect(plan.notes.map((n) => n.subject)).to.deep.equal([
                "RegistryCredentials",
                "RetentionPolicy",
                "GarbageCollection",
            ]);
            const ts = programCode(plan, false);
            expect(ts).to.include('import { Registry } from "pulumi-docr";');
            expect(ts).to.include(
                'const prod = new Registry("prod", {\n    name: "acme-prod",\n    region: "fra1",\n    subscriptionTierSlug: "professional",\n}, { protect: true });',
            );
            expect(programCode(plan, true)).to.include('const { Registry } = require("pulumi-docr");');
        });

        it("--all with --subscription and clusters: the tier on the Subscription only; integrations with stamps; a cluster without registry explained", async function () {
            const plan = await planImport(
                client,
                request(["--all", "--subscription", "--cluster", PROD, "--cluster", DEV]),
                provider,
            );
            expect(emulator.requests().map((r) => r.operationId)).to.deep.equal([
                "registries_list",
                "registries_get_subscription",
                "kubernetes_list_clusters",
            ]);
            expect(plan.entries.map((e) => [e.type.split(":").pop(), e.name])).to.deep.equal([
                ["Registry", "acme-base"],
                ["Registry", "acme-prod"],
                ["Subscription", "subscription"],
                ["ClusterRegistryIntegration", "prod-cluster-pull"],
            ]);
            for (const e of plan.entries.slice(0, 2)) expect(e.inputs).to.not.have.property("subscriptionTierSlug");
            const created = Object.fromEntries(emulator.snapshot().registries.map((r) => [r.name, r.createdAt]));
            expect(plan.entries[3].outputs).to.deep.include({
                clusterIds: [PROD],
                registryNames: ["acme-base", "acme-prod"],
                registryCreatedAt: created,
            });
            expect(plan.notes.map((n) => n.subject)).to.include(`--cluster ${DEV}`);
            expect(programCode(plan, false)).to.include("registryNames: [acmeBase.name, acmeProd.name],");
        });

        it("names what the team has when a --registry or --cluster is not there", async function () {
            const err = await planImport(client, request(["--registry", "nope"]), provider).catch((e: Error) => e);
            expect(err).to.be.instanceOf(UsageError);
            expect((err as Error).message).to.equal(
                '--registry "nope" is not one of this team\'s registries (it has: acme-base, acme-prod)',
            );
            const gone = "99999999-9999-4999-8999-999999999999";
            const cluster = await planImport(client, request(["--all", "--cluster", gone]), provider).catch(
                (e: Error) => e,
            );
            expect((cluster as Error).message).to.match(
                /--cluster "9{8}-.*" is not one of this team's DOKS clusters \(it has: dev-cluster/,
            );
        });
    });
});
