import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PINNED, PULUMI_NEW_TSCONFIG } from "../../harness/package";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { javascriptProgram, writtenProgram, type Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

const TS_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { Registry, RegistryCredentials, getRegistryOptionsOutput } from "pulumi-docr";

const config = new pulumi.Config();
const registry = new Registry("registry", { name: config.require("registryName"), region: "fra1", subscriptionTierSlug: "basic" });
const push = new RegistryCredentials("push", { registryName: registry.name, readWrite: true, expirySeconds: 3600 });

export const serverUrl = registry.serverUrl;
export const regions = getRegistryOptionsOutput().availableRegions;
export const dockerConfigJson = push.dockerConfigJson;
`;

const JS_PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { Registry, RegistryCredentials } = require("pulumi-docr");

const config = new pulumi.Config();
const registry = new Registry("registry", { name: config.require("registryName"), region: "fra1", subscriptionTierSlug: "basic" });
const push = new RegistryCredentials("push", { registryName: registry.name, readWrite: true, expirySeconds: 3600 });

exports.serverUrl = registry.serverUrl;
exports.dockerConfigJson = push.dockerConfigJson;
`;

/** Every dynamic resource's `__provider`, as the engine stored it. */
async function storedProviders(program: Program, stack: string): Promise<Record<string, string>> {
    const state = await program.state(stack);
    const found: Record<string, string> = {};
    for (const r of state.deployment.resources ?? []) {
        if (!r.type.startsWith("pulumi-nodejs:dynamic/")) continue;
        const text = r.outputs?.__provider ?? r.inputs?.__provider;
        if (typeof text === "string") found[r.type] = text;
    }
    return found;
}

/** Up, refresh, destroy; the state's providers small and loading the package by name. */
async function lifecycle(program: Program, emulator: EmulatorProcess, registryName: string): Promise<void> {
    await program.initStack("dev", emulator, { registryName });
    const up = await program.ok("dev", ["up", "--yes"]);
    expect(up.stdout).to.match(/\+ {1,}pulumi-nodejs:dynamic\/docr:Registry +registry +created/);
    expect(up.stdout).to.include(`serverUrl       : "registry.digitalocean.com/${registryName}"`);
    const providers = await storedProviders(program, "dev");
    expect(Object.keys(providers).sort()).to.deep.equal([
        "pulumi-nodejs:dynamic/docr:Registry",
        "pulumi-nodejs:dynamic/docr:RegistryCredentials",
    ]);
    for (const [type, text] of Object.entries(providers)) {
        expect(text.length, `${type} __provider bytes`).to.be.below(16 * 1024);
        expect(text, type).to.include('require("pulumi-docr/provider")');
    }
    await program.ok("dev", ["refresh", "--yes", "--expect-no-changes"]);
    await program.ok("dev", ["destroy", "--yes"]);
    expect((await emulator.state()).registries).to.deep.equal([]);
}

describe("e2e: the package as users install it (npm pack), under the real Pulumi CLI", function () {
    this.timeout(E2E_TIMEOUT_MS);
    const { workspace, track } = useWorkspace();
    let emulator: EmulatorProcess;

    it("(a) TypeScript with the tsconfig of `pulumi new typescript` (no skipLibCheck): tsc --noEmit passes; up, refresh, destroy", async function () {
        const program = writtenProgram(
            workspace(),
            "typescript",
            {
                "Pulumi.yaml": "name: docr-typescript\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
                "index.ts": TS_PROGRAM,
                "tsconfig.json": JSON.stringify(PULUMI_NEW_TSCONFIG, null, 2),
            },
            {
                dependencies: { "@pulumi/pulumi": PINNED.pulumi },
                devDependencies: { typescript: PINNED.typescript, "@types/node": PINNED.typesNode },
            },
        );
        emulator = track(await startEmulatorProcess(program.dir));
        const tsc = path.join(program.dir, "node_modules", "typescript", "bin", "tsc");
        try {
            execFileSync(process.execPath, [tsc, "--noEmit", "--pretty", "false", "-p", program.dir], {
                cwd: program.dir,
                encoding: "utf8",
                stdio: "pipe",
            });
        } catch (err) {
            const e = err as { stdout?: string };
            const lines = (e.stdout ?? "").split("\n").filter((l) => /error TS/.test(l));
            expect.fail(`tsc --noEmit found ${lines.length} errors:\n${lines.slice(0, 10).join("\n")}`);
        }
        await lifecycle(program, emulator, "acme-typescript");
    });

    it("(b) JavaScript with no typescript installed: every resource serializes (Pulumi's TypeScript 3.8 parser); up, refresh, destroy", async function () {
        const program = javascriptProgram(workspace(), "javascript", JS_PROGRAM);
        expect(
            fs.existsSync(path.join(program.dir, "node_modules", "typescript")),
            "no typescript in the program",
        ).to.equal(false);
        emulator = track(await startEmulatorProcess(program.dir));
        await lifecycle(program, emulator, "acme-javascript");
    });

    it("(c) TypeScript compiled, then installed with --omit=dev (no typescript): up, refresh, destroy", async function () {
        const files = {
            "Pulumi.yaml":
                "name: docr-compiled\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: bin/index.js\n",
            "index.ts": TS_PROGRAM,
            "tsconfig.json": JSON.stringify(PULUMI_NEW_TSCONFIG, null, 2),
        };
        const pkg = {
            dependencies: { "@pulumi/pulumi": PINNED.pulumi },
            devDependencies: { typescript: PINNED.typescript, "@types/node": PINNED.typesNode },
        };
        const program = writtenProgram(workspace(), "compiled", files, pkg);
        execFileSync(
            process.execPath,
            [path.join(program.dir, "node_modules", "typescript", "bin", "tsc"), "-p", program.dir],
            { cwd: program.dir, stdio: "pipe" },
        );
        // The deployed artifact: bin/ and a package.json without devDependencies (npm keeps an optional
        // peer such as typescript under --omit=dev when the lockfile still lists it as a devDependency).
        fs.rmSync(path.join(program.dir, "node_modules"), { recursive: true });
        fs.rmSync(path.join(program.dir, "package-lock.json"));
        const manifest = JSON.parse(fs.readFileSync(path.join(program.dir, "package.json"), "utf8")) as Record<
            string,
            unknown
        >;
        delete manifest.devDependencies;
        fs.writeFileSync(path.join(program.dir, "package.json"), JSON.stringify(manifest, null, 2));
        execFileSync(
            "npm",
            ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
            { cwd: program.dir, stdio: "pipe" },
        );
        expect(
            fs.existsSync(path.join(program.dir, "node_modules", "typescript")),
            "no typescript after --omit=dev",
        ).to.equal(false);
        emulator = track(await startEmulatorProcess(program.dir));
        await lifecycle(program, emulator, "acme-compiled");
    });
});
