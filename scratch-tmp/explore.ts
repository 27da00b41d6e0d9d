import { spawn } from "node:child_process";
import { PINNED } from "/work/wt-recovery/harness/package";
import { findCli, PulumiWorkspace } from "/work/wt-recovery/tests/e2e/cli";
import { startEmulatorProcess } from "/work/wt-recovery/tests/e2e/emulator-process";
import { writtenProgram } from "/work/wt-recovery/tests/e2e/program";

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { Registry } = require("pulumi-docr");
const fs = require("fs");
const config = new pulumi.Config();
new Registry("registry", { name: config.require("registryName"), region: "fra1", subscriptionTierSlug: "basic" });
`;
async function main() {
    const ws = new PulumiWorkspace(findCli()!);
    console.log("root", ws.root);
    const program = writtenProgram(ws, "prog", { "Pulumi.yaml": "name: docr-recovery\nruntime: nodejs\n", "index.js": PROGRAM }, { dependencies: { "@pulumi/pulumi": PINNED.pulumi } });
    const emu = await startEmulatorProcess(program.dir);
    await program.initStack("dev", emu, { registryName: "acme-rec" });
    await emu.admin("PUT", "/faults", [{ operationId: "registries_create", latencyMs: 8000, afterHandling: true }]);
    const env = (ws as unknown as { env: NodeJS.ProcessEnv }).env;
    const child = spawn("pulumi", ["up", "--yes", "--non-interactive", "--stack", "dev"], { cwd: program.dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    for (let i = 0; i < 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const st = await emu.state();
        if (st.registries.length > 0) break;
    }
    await new Promise((r) => setTimeout(r, 500));
    process.kill(-child.pid!, "SIGKILL");
    console.log("killed; output so far:\n", out);
    await new Promise((r) => setTimeout(r, 1000));
    console.log((await program.pulumi("dev", ["cancel", "--yes"])).output);
    console.log((await program.pulumi("dev", ["stack", "export"])).output.slice(0, 3000));
    const up = await program.pulumi("dev", ["up", "--yes"]);
    console.log("UP", up.code, up.output);
    console.log((await program.pulumi("dev", ["stack", "export"])).output.slice(0, 3000));
    await emu.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
