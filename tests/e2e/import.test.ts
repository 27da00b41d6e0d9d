import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunResult } from "./cli";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { javascriptProgram, type Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

const CLUSTER = "6a1f2e4c-8d3b-4c5a-9e7f-0b1c2d3e4f50";
/** What `docr-import --out` writes: `pulumi import --file`'s format. */
interface ImportFile {
    resources: { type: string; inputs: Record<string, unknown> }[];
}

const HEADER = `"use strict";\nconst pulumi = require("@pulumi/pulumi");\n`;

describe("e2e: docr-import, then pulumi import --file, adopts what the team has (real Pulumi CLI)", function () {
    this.timeout(E2E_TIMEOUT_MS);
    const { workspace, track } = useWorkspace();
    let program: Program;
    let emulator: EmulatorProcess;
    const writeProgram = (code: string) => fs.writeFileSync(path.join(program.dir, "index.js"), HEADER + code);
    const docrImport = (stack: string, args: string[]): Promise<RunResult> =>
        workspace().tool(program.dir, path.join(program.dir, "node_modules", ".bin", "docr-import"), [
            ...args,
            "--stack",
            stack,
        ]);
    /** A new stack with an empty program, then what `docr-import <args> --out <out> --js` wrote and printed. */
    const importFor = async (stack: string, out: string, args: string[]) => {
        await program.initStack(stack, emulator);
        writeProgram("");
        const made = await docrImport(stack, [...args, "--out", out, "--js"]);
        expect(made.code, made.output).to.equal(0);
        const file = JSON.parse(fs.readFileSync(path.join(program.dir, out), "utf8")) as ImportFile;
        return { made, file };
    };
    const providerIn = async (stack: string, type: string) =>
        (await program.resources(stack, type))[0]?.inputs?.__provider;

    before(async function () {
        program = javascriptProgram(workspace(), "import", HEADER);
        emulator = track(await startEmulatorProcess(program.dir));
        await emulator.admin("POST", "/seed", {
            subscriptionTier: "basic",
            registries: [{ name: "legacy-reg", region: "fra1" }],
        });
    });

    it("a registry: import, one up, no changes; a tier change, refresh, and destroy after state unprotect", async function () {
        // The token comes from the stack's config (the workspace has no DIGITALOCEAN_* variables).
        const { made, file } = await importFor("legacy", "import.json", [
            "--registry",
            "legacy-reg",
            "--name",
            "legacy",
        ]);
        expect(made.stderr).to.include("token from the config of stack legacy");
        expect(made.stdout).to.include("// Then: pulumi import --file import.json --generate-code=false");
        expect(made.stdout).to.match(/RegistryCredentials: not importable/);
        expect(made.stdout).to.match(/RetentionPolicy: nothing to import/);
        expect(made.stdout).to.match(/GarbageCollection: nothing to import/);
        expect(made.output).to.not.include(emulator.token);
        expect(file.resources).to.have.length(1);
        expect(file.resources[0].inputs).to.include({
            name: "legacy-reg",
            region: "fra1",
            subscriptionTierSlug: "basic",
        });

        const imported = await program.ok("legacy", [
            "import",
            "--file",
            "import.json",
            "--generate-code=false",
            "--yes",
        ]);
        expect(imported.output).to.match(/1 imported/);
        writeProgram(made.stdout);
        await program.ok("legacy", ["up", "--yes"]);
        await program.ok("legacy", ["preview", "--expect-no-changes"]);
        expect(await providerIn("legacy", "Registry"), "the __provider a program registers").to.equal(
            file.resources[0].inputs.__provider,
        );

        writeProgram(made.stdout.replace('subscriptionTierSlug: "basic"', 'subscriptionTierSlug: "professional"'));
        const tier = await program.ok("legacy", ["up", "--yes"]);
        expect(tier.output).to.match(/1 updated/);
        expect((await emulator.state()).subscription?.tier).to.equal("professional");
        await emulator.api("POST", "/v2/registries/subscription", { tier_slug: "basic" });
        const refreshed = await program.ok("legacy", ["refresh", "--yes"]);
        expect(refreshed.output).to.match(/1 updated/);
        const [registry] = await program.resources("legacy", "Registry");
        expect(registry.outputs?.subscriptionTierSlug).to.equal("basic");

        const refused = await program.pulumi("legacy", ["destroy", "--yes"]);
        expect(refused.code, "protected").to.not.equal(0);
        await program.ok("legacy", ["state", "unprotect", "--all", "--yes"]);
        await program.ok("legacy", ["destroy", "--yes"]);
        expect((await emulator.state()).registries).to.deep.equal([]);
    });

    it("the subscription: import, one up, no changes; a tier change, refresh, and destroy after state unprotect", async function () {
        await emulator.admin("POST", "/seed", {
            subscriptionTier: "basic",
            registries: [{ name: "legacy-reg", region: "fra1" }],
        });
        const { made } = await importFor("plan", "plan.json", ["--subscription"]);
        expect(made.stdout).to.match(
            /new Subscription\("subscription", \{\n\s+tierSlug: "basic",\n\}, \{ protect: true \}\);/,
        );
        await program.ok("plan", ["import", "--file", "plan.json", "--generate-code=false", "--yes"]);
        writeProgram(made.stdout);
        await program.ok("plan", ["up", "--yes"]);
        await program.ok("plan", ["preview", "--expect-no-changes"]);

        writeProgram(made.stdout.replace('tierSlug: "basic"', 'tierSlug: "professional"'));
        await program.ok("plan", ["up", "--yes"]);
        expect((await emulator.state()).subscription?.tier).to.equal("professional");
        await program.ok("plan", ["refresh", "--yes"]);
        await program.ok("plan", ["preview", "--expect-no-changes"]);
        await program.ok("plan", ["state", "unprotect", "--all", "--yes"]);
        await program.ok("plan", ["destroy", "--yes"]);
        expect(await program.resources("plan", "Subscription")).to.deep.equal([]);
        expect((await emulator.state()).subscription?.tier, "the API has no delete: the plan stays").to.equal(
            "professional",
        );
    });

    it("a DOKS cluster's integration with its registry: import, one up, no changes; destroy after state unprotect removes the pairs", async function () {
        await emulator.admin("POST", "/reset");
        await emulator.admin("POST", "/seed", {
            subscriptionTier: "basic",
            registries: [{ name: "legacy-reg", region: "fra1" }],
            clusters: [{ id: CLUSTER, name: "prod-cluster", region: "fra1", registries: ["legacy-reg"] }],
        });
        const { made, file } = await importFor("doks", "doks.json", ["--registry", "legacy-reg", "--cluster", CLUSTER]);
        expect(file.resources.map((r) => r.type.split(":").pop())).to.deep.equal([
            "Registry",
            "ClusterRegistryIntegration",
        ]);
        expect(file.resources[1].inputs).to.deep.include({ clusterIds: [CLUSTER], registryNames: ["legacy-reg"] });
        expect(made.stdout).to.include("new ClusterRegistryIntegration(");

        const imported = await program.ok("doks", ["import", "--file", "doks.json", "--generate-code=false", "--yes"]);
        expect(imported.output).to.match(/2 imported/);
        writeProgram(made.stdout);
        await program.ok("doks", ["up", "--yes"]);
        await program.ok("doks", ["preview", "--expect-no-changes"]);
        const pairs = async () => (await emulator.state()).clusters.map((c) => [c.id, [...c.registries]]);
        expect(await pairs(), "importing changes nothing").to.deep.equal([[CLUSTER, ["legacy-reg"]]]);

        await program.ok("doks", ["state", "unprotect", "--all", "--yes"]);
        await program.ok("doks", ["destroy", "--yes"]);
        expect(await pairs()).to.deep.equal([[CLUSTER, []]]);
        expect((await emulator.state()).registries).to.deep.equal([]);
    });

    it("bad command lines fail before any request, naming the flag", async function () {
        await program.initStack("usage", emulator);
        const cases: [string[], RegExp][] = [
            [[], /nothing to import: give --registry NAME, --all, --subscription or --cluster ID/],
            [["--registry", "a", "--registry", "b", "--name", "x"], /--name names one registry/],
            [["--cluster", CLUSTER], /--cluster needs --registry NAME or --all/],
            [["--all", "--registry", "a"], /--all and --registry exclude each other/],
        ];
        await emulator.admin("DELETE", "/requests");
        for (const [args, message] of cases) {
            const result = await docrImport("usage", args);
            expect(result.code, result.output).to.equal(2);
            expect(result.stderr).to.match(message);
        }
        expect(await emulator.admin("GET", "/requests")).to.deep.equal({ requests: [] });
        await emulator.admin("POST", "/seed", { registries: [{ name: "legacy-reg", region: "fra1" }] });
        const unknown = await docrImport("usage", ["--registry", "nope"]);
        expect(unknown.code).to.equal(2);
        expect(unknown.stderr).to.match(
            /--registry "nope" is not one of this team's registries \(it has: legacy-reg\)/,
        );
    });
});
