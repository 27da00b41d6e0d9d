import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { packedTarball, PINNED } from "../../harness/package";
import type { PulumiWorkspace, RunResult } from "./cli";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

/** The Pulumi release tools/pulumi-cli builds, as its go.mod pins it. */
const CLI_VERSION = /^\s*github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)/m.exec(
    fs.readFileSync(path.resolve(__dirname, "..", "..", "tools", "pulumi-cli", "go.mod"), "utf8"),
)![1];

/** The @pulumi/policy release the project's policies are written for (issue #22). */

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { Registry } = require("pulumi-docr");

const config = new pulumi.Config();
const registry = new Registry("registry", {
    name: "acme-toolchain",
    region: config.require("region"),
    subscriptionTierSlug: config.require("tier"),
});
exports.serverUrl = registry.serverUrl;
`;

// The violation names the stack and reads the stack's config: both reach a pack through the
// language host (the engine sends them to RunPlugin's policy proxy).
const POLICY_PACK = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("toolchain", {
    policies: [
        {
            name: "registry-region",
            description: "Registries only in fra1.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type !== "pulumi-nodejs:dynamic/docr:Registry" || args.props.region === "fra1") return;
                const configured = new pulumi.Config().get("region");
                reportViolation(
                    \`registry \${args.props.name} is in \${args.props.region} (stack \${pulumi.getStack()}, config region \${configured}); allowed: fra1\`,
                );
            },
        },
        {
            name: "registry-named",
            description: "Registries have a name.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type === "pulumi-nodejs:dynamic/docr:Registry" && !args.props.name) reportViolation("no name");
            },
        },
    ],
});
`;

/** A folder with the given files and a package.json, nothing installed yet. */
function folder(
    workspace: PulumiWorkspace,
    name: string,
    files: Record<string, string>,
    dependencies: Record<string, string>,
): string {
    const dir = workspace.dir(name);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    const manifest = { name, version: "0.0.1", private: true, dependencies };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
    return dir;
}

describe("e2e: the toolchain (CLI version, about, install, stacks and config, policy packs) with the project's language host", function () {
    this.timeout(E2E_TIMEOUT_MS);
    const { workspace, track } = useWorkspace();
    let program: Program;
    let packDir: string;
    let installed: { program: RunResult; pack: RunResult };
    let emulator: EmulatorProcess;

    before(async function () {
        const ws = workspace();
        const programDir = folder(
            ws,
            "toolchain",
            { "Pulumi.yaml": "name: docr-toolchain\nruntime: nodejs\n", "index.js": PROGRAM },
            { "@pulumi/pulumi": PINNED.pulumi, "pulumi-docr": `file:${packedTarball()}` },
        );
        packDir = folder(
            ws,
            "policy-pack",
            { "PulumiPolicy.yaml": "runtime: nodejs\n", "index.js": POLICY_PACK },
            { "@pulumi/policy": PINNED.policy, "@pulumi/pulumi": PINNED.pulumi },
        );
        // `pulumi install` installs both, the program as a project and the pack as a plugin.
        const [programInstall, packInstall] = await Promise.all([
            ws.run(programDir, ["install"]),
            ws.run(packDir, ["install"]),
        ]);
        installed = { program: programInstall, pack: packInstall };
        program = new Program(ws, programDir);
        // The emulator comes with the installed package; without it only the install test can tell why.
        if (programInstall.code === 0) emulator = track(await startEmulatorProcess(programDir));
    });

    it("pulumi version is the release go.mod pins", async function () {
        const result = await workspace().ok(workspace().root, ["version"]);
        expect(result.stdout.trim()).to.equal(CLI_VERSION);
    });

    it("pulumi install installs the program's and the policy pack's dependencies with npm", function () {
        for (const [what, result] of Object.entries(installed)) {
            expect(result.code, `${what}: ${result.output}`).to.equal(0);
            expect(result.output, what).to.include("Installed dependencies with npm");
        }
        const version = (dir: string, pkg: string): string =>
            (
                JSON.parse(fs.readFileSync(path.join(dir, "node_modules", pkg, "package.json"), "utf8")) as {
                    version: string;
                }
            ).version;
        expect(version(program.dir, "@pulumi/pulumi")).to.equal(PINNED.pulumi);
        expect(version(program.dir, "pulumi-docr")).to.match(/^\d+\.\d+\.\d+/);
        // @pulumi/policy's own package.json spells its version with a "v".
        expect(version(packDir, "@pulumi/policy").replace(/^v/, "")).to.equal(PINNED.policy);
    });

    it("stack init, select and ls; config set, get and set-all", async function () {
        const ws = workspace();
        await ws.ok(program.dir, ["stack", "init", "prod"]);
        await ws.ok(program.dir, ["stack", "init", "dev"]);
        await ws.ok(program.dir, ["stack", "select", "prod"]);
        const stacks = JSON.parse((await ws.ok(program.dir, ["stack", "ls", "--json"])).stdout) as {
            name: string;
            current: boolean;
        }[];
        expect(stacks.map((s) => [s.name, s.current]).sort()).to.deep.equal([
            ["dev", false],
            ["prod", true],
        ]);

        await program.ok("dev", ["config", "set", "digitalocean:apiUrl", emulator.url]);
        await program.ok("dev", [
            "config",
            "set-all",
            "--plaintext",
            "region=nyc3",
            "--plaintext",
            "tier=basic",
            "--secret",
            `digitalocean:token=${emulator.token}`,
        ]);
        expect((await program.ok("dev", ["config", "get", "region"])).stdout.trim()).to.equal("nyc3");
        expect((await program.ok("dev", ["config", "get", "digitalocean:token"])).stdout.trim()).to.equal(
            emulator.token,
        );
        const stackFile = fs.readFileSync(path.join(program.dir, "Pulumi.dev.yaml"), "utf8");
        expect(stackFile).to.include("docr-toolchain:tier: basic");
        expect(stackFile, "the token is stored encrypted").to.not.include(emulator.token);
        // The other stack's config is its own.
        expect((await program.pulumi("prod", ["config", "get", "region"])).code).to.not.equal(0);
    });

    it("pulumi about names the nodejs runtime, npm and the program's dependencies", async function () {
        const result = await workspace().ok(program.dir, ["about"]);
        // Pulumi prints the runtime's metadata in a Go map's order, which changes from run to run.
        const runtime = /^This project is written in nodejs: (.*)$/m.exec(result.output);
        expect(runtime, result.output).to.not.equal(null);
        const params = runtime?.[1] ?? "";
        expect(params).to.match(/(^| )executable='[^']*node'( |$)/);
        expect(params).to.match(/(^| )version='v\d+\.\d+\.\d+'( |$)/);
        expect(params).to.match(/(^| )packagemanager='npm'( |$)/);
        expect(result.output).to.match(new RegExp(`@pulumi/pulumi\\s+${PINNED.pulumi.replace(/\./g, "\\.")}`));
        expect(result.output).to.match(/pulumi-docr\s+\d+\.\d+\.\d+/);
        expect(result.output).to.not.include("Failed to get information");
    });

    it("preview --policy-pack: a mandatory violation fails the preview with its message; the fixed program passes", async function () {
        await program.initStack("policy", emulator, { region: "nyc3", tier: "basic" });
        const violating = await program.pulumi("policy", ["preview", "--policy-pack", packDir]);
        expect(violating.code, violating.output).to.not.equal(0);
        expect(violating.output).to.include("[mandatory]  registry-region");
        expect(violating.output).to.include(
            "registry acme-toolchain is in nyc3 (stack policy, config region nyc3); allowed: fra1",
        );
        expect(violating.output).to.not.include("registry-named");

        await program.ok("policy", ["config", "set", "region", "fra1"]);
        const fixed = await program.ok("policy", ["preview", "--policy-pack", packDir]);
        expect(fixed.output).to.include("toolchain@v0.0.1");
        expect(fixed.output).to.not.include("mandatory");
        expect((await emulator.state()).registries, "a preview creates nothing").to.deep.equal([]);
    });
});
