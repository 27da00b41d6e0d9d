import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { exampleProgram, type Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

/** Every file under a folder whose text contains `needle` (state, config, logs, plugins' output). */
function filesContaining(dir: string, needle: string): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.name === "node_modules") continue;
        if (entry.isDirectory()) found.push(...filesContaining(full, needle));
        else if (
            entry.isFile() &&
            fs.statSync(full).size < 20_000_000 &&
            fs.readFileSync(full, "utf8").includes(needle)
        )
            found.push(full);
    }
    return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("e2e: the other examples under the real Pulumi CLI", function () {
    this.timeout(E2E_TIMEOUT_MS);
    const { workspace, track } = useWorkspace();

    describe("ci-credentials", function () {
        let program: Program;
        let emulator: EmulatorProcess;
        const outputs: string[] = [];

        before(async function () {
            program = exampleProgram(workspace(), "ci-credentials");
            emulator = track(await startEmulatorProcess(program.dir));
            await emulator.admin("POST", "/seed", {
                subscriptionTier: "basic",
                registries: [{ name: "acme-dev", region: "nyc3" }],
            });
            // Pulumi.ci.yaml names acme-dev; short lives so that the renew window comes within the test.
            await program.initStack("ci", emulator, { expirySeconds: "30", renewBeforeSeconds: "24" });
        });

        it("issues secret push credentials: a docker config with auths, ciphertext in state", async function () {
            outputs.push((await program.ok("ci", ["up", "--yes"])).output);
            const config = JSON.parse(
                (await program.ok("ci", ["stack", "output", "dockerConfigJson", "--show-secrets"])).stdout,
            ) as { auths: Record<string, { auth: string }> };
            expect(Object.keys(config.auths)).to.deep.equal(["registry.digitalocean.com"]);
            expect(Buffer.from(config.auths["registry.digitalocean.com"].auth, "base64").toString()).to.match(
                /^[^:]+:.+/,
            );
            expect((await program.ok("ci", ["stack", "output", "dockerConfigJson"])).stdout.trim()).to.equal(
                "[secret]",
            );
            const [credentials] = await program.resources("ci", "RegistryCredentials");
            expect(credentials?.outputs?.dockerConfigJson).to.have.property("ciphertext");
            expect(JSON.stringify(await program.state("ci"))).to.not.include(
                config.auths["registry.digitalocean.com"].auth,
            );
        });

        it("an up inside the renew window replaces them, the new ones before the old ones go", async function () {
            const before = (await program.resources("ci", "RegistryCredentials"))[0];
            await sleep(7_000);
            const up = await program.ok("ci", ["up", "--yes"]);
            outputs.push(up.output);
            const created = up.stdout.indexOf("created replacement");
            const deleted = up.stdout.indexOf("deleted original");
            expect(created, up.stdout).to.be.greaterThan(-1);
            expect(deleted, up.stdout).to.be.greaterThan(created);
            const after = (await program.resources("ci", "RegistryCredentials"))[0];
            expect(after.outputs?.issuedAt).to.not.equal(before.outputs?.issuedAt);
        });

        it("the API token appears nowhere: not in state, CLI output, config or logs", async function () {
            outputs.push((await program.ok("ci", ["stack", "export"])).output);
            outputs.push((await program.ok("ci", ["destroy", "--yes"])).output);
            for (const text of outputs) expect(text).to.not.include(emulator.token);
            expect(filesContaining(workspace().root, emulator.token)).to.deep.equal([]);
        });
    });

    describe("cleanup", function () {
        it("dryRun previews and deletes nothing; with dryRun false up deletes what was planned and collects garbage", async function () {
            const program = exampleProgram(workspace(), "cleanup");
            const emulator = track(await startEmulatorProcess(program.dir));
            const old = "2026-01-01T00:00:00Z";
            const manifests = Array.from({ length: 25 }, (_, i) => ({
                tags: [`build-${i}`],
                updatedAt: new Date(Date.parse(old) + i * 60_000).toISOString(),
                blobs: [{ digest: `sha256:${String(i).padStart(64, "0")}`, sizeBytes: 1000 }],
            }));
            await emulator.admin("POST", "/seed", {
                subscriptionTier: "basic",
                registries: [{ name: "acme-clean", region: "fra1", repositories: [{ name: "api", manifests }] }],
            });
            await program.initStack("dev", emulator, { registryName: "acme-clean" });
            const env = { DOCR_RETENTION_PLAN_DIR: path.join(workspace().root, "plans-clean") };
            const tagCount = async () =>
                (await emulator.state()).registries[0].repositories[0].manifests.filter((m) => m.tags.length > 0)
                    .length;
            const requests = async () => {
                const { requests: log } = (await emulator.admin("GET", "/requests")) as {
                    requests: { method: string; path: string }[];
                };
                await emulator.admin("DELETE", "/requests");
                return log.filter((r) => r.path.includes("/repositories"));
            };

            const dry = await program.ok("dev", ["up", "--yes"], env);
            expect(dry.stdout, dry.stdout).to.match(/deleted\s*: "0 tags, 0 manifests"/);
            expect(await tagCount()).to.equal(25);
            // The preview's check lists the repository; the update's check and the dry run reuse that inventory.
            expect(
                (await requests()).filter((r) => r.path.endsWith("/tags")),
                "tags listed once",
            ).to.have.length(1);
            const again = await program.ok("dev", ["preview"], env);
            expect(again.output, again.output).to.match(/reused the inventories of 1 unchanged repositories/);
            expect(
                (await requests()).map((r) => `${r.method} ${r.path}`),
                "a preview of the unchanged registry: the repositories listing only",
            ).to.deep.equal(["GET /v2/registries/acme-clean/repositoriesV2"]);
            const planned = JSON.parse(
                (await program.ok("dev", ["stack", "output", "planned", "--json"])).stdout,
            ) as unknown;
            expect(JSON.stringify(planned)).to.match(/5/);

            await program.ok("dev", ["config", "set", "dryRun", "false"]);
            const apply = await program.ok("dev", ["up", "--yes"], env);
            expect(apply.stdout, apply.stdout).to.match(/deleted\s*: "0 tags, 0 manifests" => "5 tags, 5 manifests"/);
            expect(apply.stdout).to.match(/garbage collection [0-9a-f-]+: succeeded/);
            expect(await tagCount()).to.equal(20);
            await program.ok("dev", ["destroy", "--yes"], env);
            expect(await tagCount(), "destroy deletes no images").to.equal(20);
        });

        it("pulumi preview, a push, pulumi up --skip-preview: the tag the push moved out of the newest 20 survives until the next up", async function () {
            const program = exampleProgram(workspace(), "cleanup");
            const emulator = track(await startEmulatorProcess(program.dir));
            const env = { DOCR_RETENTION_PLAN_DIR: path.join(workspace().root, "plans-push") };
            const build = (i: number, at: string) => ({
                tags: [`build-${i}`],
                updatedAt: at,
                blobs: [{ digest: `sha256:${String(i).padStart(64, "0")}`, sizeBytes: 1000 }],
            });
            const old = (i: number) =>
                build(i, new Date(Date.parse("2026-01-01T00:00:00Z") + i * 60_000).toISOString());
            const seed = (manifests: ReturnType<typeof build>[]) =>
                emulator.admin("POST", "/seed", {
                    subscriptionTier: "basic",
                    registries: [{ name: "acme-bound", region: "fra1", repositories: [{ name: "api", manifests }] }],
                });
            const tags = async () =>
                (await emulator.state()).registries[0].repositories[0].manifests.flatMap((m) => m.tags).sort();
            const olds = Array.from({ length: 25 }, (_, i) => old(i));
            await seed(olds);
            await program.initStack("bound", emulator, { registryName: "acme-bound", dryRun: "false" });

            const preview = await program.ok("bound", ["preview"], env);
            expect(preview.output, preview.output).to.match(/would delete 5 tags and 5 manifests/);
            // A push: build-25 is new, so build-5 leaves the newest 20 (and is old enough).
            await seed([...olds, build(25, new Date().toISOString())]);
            const up = await program.ok("bound", ["up", "--skip-preview", "--yes"], env);
            expect(up.output, up.output).to.match(
                /1 tags and 1 manifests newly selected since the check at \S+ wait for the next pulumi up/,
            );
            const after = await tags();
            expect(after, "build-0..4 deleted, build-5 kept").to.have.length(21);
            expect(after).to.include("build-5");
            expect(after).to.not.include("build-0");

            const next = await program.ok("bound", ["up", "--yes"], env);
            expect(next.output, next.output).to.not.match(/newly selected since/);
            expect(await tags()).to.not.include("build-5");
            expect(await tags()).to.have.length(20);
            await program.ok("bound", ["destroy", "--yes"], env);
        });
    });

    describe("doks", function () {
        it("dev and prod: each cluster, found by name, gets exactly its own registry; preview passes before the registries exist; destroy removes only its pairs", async function () {
            const program = exampleProgram(workspace(), "doks");
            const fixture = program.installedFixture("doks-fixture.json");
            const emulator = track(await startEmulatorProcess(program.dir, ["--fixture", fixture]));
            const clusters = async () =>
                Object.fromEntries((await emulator.state()).clusters.map((c) => [c.name, [...c.registries].sort()]));
            const outputs: string[] = [];
            for (const stack of ["dev", "prod"]) {
                await program.initStack(stack, emulator);
                const preview = await program.ok(stack, ["preview"]);
                outputs.push(preview.output);
                expect(preview.stdout, preview.stdout).to.match(
                    /\+ .*docr:ClusterRegistryIntegration\s+cluster-pull\s+create/,
                );
                const up = await program.ok(stack, ["up", "--yes"]);
                outputs.push(up.output);
            }
            expect(await clusters()).to.deep.equal({
                "acme-dev-cluster": ["acme-dev-images"],
                "acme-prod-cluster": ["acme-prod-images"],
            });
            const prodCluster = (await emulator.state()).clusters.find((c) => c.name === "acme-prod-cluster")!;
            expect((await program.ok("prod", ["stack", "output", "clusterId"])).stdout.trim()).to.equal(prodCluster.id);
            const again = await program.ok("dev", ["up", "--yes"]);
            expect(again.stdout, "a second up changes nothing").to.match(/3 unchanged/);

            // The prod cluster loses its registry behind Pulumi's back: refresh shows it, up puts it back.
            await emulator.api("DELETE", "/v2/kubernetes/registries", {
                cluster_uuids: [prodCluster.id],
                registries: ["acme-prod-images"],
            });
            const refresh = await program.ok("prod", ["refresh", "--yes"]);
            outputs.push(refresh.output);
            expect(refresh.output).to.match(/registry_enabled: false/);
            await program.ok("prod", ["up", "--yes"]);
            expect((await clusters())["acme-prod-cluster"]).to.deep.equal(["acme-prod-images"]);

            outputs.push((await program.ok("dev", ["destroy", "--yes"])).output);
            expect(await clusters()).to.deep.equal({
                "acme-dev-cluster": [],
                "acme-prod-cluster": ["acme-prod-images"],
            });
            outputs.push((await program.ok("prod", ["destroy", "--yes"])).output);
            expect((await emulator.state()).registries).to.deep.equal([]);
            for (const text of outputs) expect(text).to.not.include(emulator.token);
        });
    });

    describe("inventory and quickstart", function () {
        it("inventory summarises the team's registries (no resources)", async function () {
            const program = exampleProgram(workspace(), "inventory");
            const emulator = track(
                await startEmulatorProcess(program.dir, ["--fixture", program.installedFixture("fixture.json")]),
            );
            await program.initStack("dev", emulator, { registryName: "acme" });
            const up = await program.ok("dev", ["up", "--yes"]);
            expect(up.stdout).to.include("acme");
            expect(up.stdout).to.match(/1 created/); // the stack itself
            await program.ok("dev", ["destroy", "--yes"]);
        });

        it("quickstart, copied as a user would (importing pulumi-docr): reads the team, then creates a registry, then destroys it", async function () {
            const program = exampleProgram(workspace(), "quickstart");
            const emulator = track(await startEmulatorProcess(program.dir));
            await program.initStack("dev", emulator);
            const readOnly = await program.ok("dev", ["up", "--yes"]);
            expect(readOnly.stdout).to.match(/availableRegions/);
            await program.ok("dev", ["config", "set", "registryName", "acme-quick"]);
            const up = await program.ok("dev", ["up", "--yes"]);
            expect(up.stdout).to.include(`registryServer      : "registry.digitalocean.com/acme-quick"`);
            expect((await emulator.state()).registries.map((r) => r.name)).to.deep.equal(["acme-quick"]);
            await program.ok("dev", ["destroy", "--yes"]);
            expect((await emulator.state()).registries).to.deep.equal([]);
        });
    });
});
