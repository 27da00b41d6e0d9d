import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PINNED } from "../../harness/package";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { writtenProgram, type Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { Registry } = require("pulumi-docr");

const config = new pulumi.Config();
const registry = new Registry("registry", {
    name: config.require("registryName"),
    region: "fra1",
    subscriptionTierSlug: "professional",
});
exports.registry = registry.name;
`;

/** A process that ran pulumi-docr's code when the CLI was killed, and when that was. */
interface Survivor {
    pid: number;
    what: string;
    killedAt: number;
}

/** Processes of this program folder that load pulumi-docr: the program itself and the dynamic-provider host. */
function processesOf(programDir: string): { pid: number; what: string }[] {
    const found: { pid: number; what: string }[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        let cmdline: string;
        try {
            cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
        } catch {
            continue;
        }
        if (!cmdline.includes(programDir)) continue;
        if (cmdline.includes("cmd/dynamic-provider")) found.push({ pid: Number(entry), what: "dynamic-provider host" });
        else if (cmdline.includes("cmd/run")) found.push({ pid: Number(entry), what: "program" });
    }
    return found;
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(200);
    }
}

describe("e2e: interrupted deployments (the CLI killed with SIGKILL) and their recovery, under the real Pulumi CLI", function () {
    this.timeout(E2E_TIMEOUT_MS);
    const { workspace, track } = useWorkspace();
    let program: Program;
    let emulator: EmulatorProcess;
    const survivors: Survivor[] = [];

    const journal = (): string => path.join(program.dir, ".pulumi-docr", "creates");
    const registries = async (): Promise<string[]> => (await emulator.state()).registries.map((r) => r.name).sort();

    /**
     * `pulumi <args>` in a process group of its own, killed with SIGKILL (the whole group, as a CI
     * runner cancelling a job does) once `due` holds; the processes that ran pulumi-docr's code then
     * are remembered for the orphan check. Then `pulumi cancel`, as the docs say.
     */
    async function killedWhen(stack: string, args: string[], due: () => Promise<boolean>): Promise<string> {
        const child = spawn("pulumi", [...args, "--non-interactive", "--stack", stack], {
            cwd: program.dir,
            env: workspace().env,
            detached: true,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr.on("data", (d: Buffer) => (output += d.toString()));
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        await until(`pulumi ${args.join(" ")} to reach the moment to kill it; output:\n${output}`, async () => {
            if (child.exitCode !== null) throw new Error(`pulumi ${args.join(" ")} ended first:\n${output}`);
            return due();
        });
        const running = processesOf(program.dir);
        process.kill(-child.pid!, "SIGKILL");
        const killedAt = Date.now();
        survivors.push(...running.map((p) => ({ ...p, killedAt })));
        await exited;
        await program.ok(stack, ["cancel", "--yes"]);
        return output;
    }

    /** The emulator holds a request with the first fault rule (its latency began), so the provider host is inside it. */
    const holding = async (): Promise<boolean> => {
        const { hits } = (await emulator.admin("GET", "/faults")) as { hits: number[] };
        return (hits[0] ?? 0) > 0;
    };

    before(async function () {
        program = writtenProgram(
            workspace(),
            "recovery",
            { "Pulumi.yaml": "name: docr-recovery\nruntime: nodejs\n", "index.js": PROGRAM },
            { dependencies: { "@pulumi/pulumi": PINNED.pulumi } },
        );
        emulator = track(await startEmulatorProcess(program.dir));
        await program.initStack("dev", emulator, { registryName: "acme-interrupted" });
        await program.initStack("other", emulator, { registryName: "acme-other" });
        await program.initStack("intruder", emulator, { registryName: "acme-interrupted" });
    });
    beforeEach(async function () {
        await emulator.admin("PUT", "/faults", []);
    });

    it("a Registry create killed after the API made it: after pulumi cancel, pulumi up adopts it, and no other stack does", async function () {
        await program.ok("other", ["up", "--yes"]);
        await emulator.admin("PUT", "/faults", [
            { operationId: "registries_create", latencyMs: 120_000, afterHandling: true, times: 1 },
        ]);
        await killedWhen("dev", ["up", "--yes"], async () => (await registries()).includes("acme-interrupted"));
        expect(fs.readdirSync(journal()), "the create's journal entry, beside the program").to.have.length(1);

        // Another stack declaring the same name is not this resource: its up fails, adopting nothing.
        const intruder = await program.pulumi("intruder", ["up", "--yes"]);
        expect(intruder.code, intruder.output).to.not.equal(0);
        expect(intruder.output).to.match(/registry "acme-interrupted" already exists in this team/);
        expect(await program.resources("intruder", "Registry")).to.deep.equal([]);

        const up = await program.ok("dev", ["up", "--yes"]);
        expect(up.output).to.include("an interrupted pulumi up of this stack had created it; adopted it");
        expect((await program.resources("dev", "Registry")).map((r) => r.id)).to.deep.equal(["acme-interrupted"]);
        expect(await registries()).to.deep.equal(["acme-interrupted", "acme-other"]);
        expect(fs.existsSync(path.join(program.dir, ".pulumi-docr")), "the journal is cleared").to.equal(false);
        await program.ok("dev", ["preview", "--expect-no-changes"]);
    });

    it("a Registry replacement killed after the API made the new one: pulumi up adopts it; with no journal (another machine) the error prints the one command", async function () {
        await program.ok("dev", ["config", "set", "registryName", "acme-replaced"]);
        await emulator.admin("PUT", "/faults", [
            { operationId: "registries_create", latencyMs: 120_000, afterHandling: true, times: 1 },
        ]);
        await killedWhen("dev", ["up", "--yes"], async () => (await registries()).includes("acme-replaced"));
        expect(await registries(), "the old registry was deleted first").to.deep.equal(["acme-other", "acme-replaced"]);
        fs.rmSync(path.join(program.dir, ".pulumi-docr"), { recursive: true });

        const refused = await program.pulumi("dev", ["up", "--yes"]);
        expect(refused.code, refused.output).to.not.equal(0);
        expect(refused.output).to.include("`DOCR_ADOPT_REGISTRY=acme-replaced pulumi up`");
        const adopted = await program.ok("dev", ["up", "--yes"], { DOCR_ADOPT_REGISTRY: "acme-replaced" });
        expect(adopted.output).to.include("adopted the team's existing registry");
        expect((await program.resources("dev", "Registry")).map((r) => r.id)).to.deep.equal(["acme-replaced"]);
        expect(await registries()).to.deep.equal(["acme-other", "acme-replaced"]);
        await program.ok("dev", ["preview", "--expect-no-changes"]);
    });

    it("a preview, a refresh and a destroy killed mid-request leave a stack that the next command completes", async function () {
        await program.ok("dev", ["config", "set", "registryName", "acme-previewed"]);
        await emulator.admin("PUT", "/faults", [
            { operationId: "registries_validate_name", latencyMs: 120_000, times: 1 },
        ]);
        await killedWhen("dev", ["preview"], holding);
        await program.ok("dev", ["config", "set", "registryName", "acme-replaced"]);

        await emulator.admin("PUT", "/faults", [{ operationId: "registries_list", latencyMs: 120_000, times: 1 }]);
        await killedWhen("dev", ["refresh", "--yes"], holding);
        await program.ok("dev", ["preview", "--expect-no-changes"]);

        await emulator.admin("PUT", "/faults", [
            { operationId: "registries_delete", latencyMs: 120_000, afterHandling: true, times: 1 },
        ]);
        await killedWhen("dev", ["destroy", "--yes"], async () => !(await registries()).includes("acme-replaced"));
        await program.ok("dev", ["destroy", "--yes"]);
        expect(await program.resources("dev", "Registry")).to.deep.equal([]);
        expect(await registries(), "the other stack's registry is untouched").to.deep.equal(["acme-other"]);
    });

    it("no process that ran pulumi-docr's code outlives a kill: each is gone within 45 s of it", async function () {
        expect(survivors.length, "the kills above caught processes running pulumi-docr").to.be.greaterThan(2);
        expect(survivors.map((s) => s.what)).to.include("dynamic-provider host");
        for (const survivor of survivors) {
            await until(
                `${survivor.what} ${survivor.pid} to exit`,
                () => !alive(survivor.pid),
                Math.max(0, survivor.killedAt + 45_000 - Date.now()),
            ).catch(() => {
                throw new Error(`${survivor.what} ${survivor.pid} still alive 45 s after the CLI was killed`);
            });
        }
    });
});
