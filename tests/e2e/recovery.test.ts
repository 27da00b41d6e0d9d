import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { javascriptProgram, type Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const docr = require("pulumi-docr");

const config = new pulumi.Config();
const registry = new docr.Registry("registry", {
    name: config.require("registryName"),
    region: "fra1",
    subscriptionTierSlug: config.get("tier") || "professional",
});
exports.registry = registry.name;
if (config.getBoolean("extras")) {
    new docr.RegistryCredentials("pull", { registryName: registry.name, expirySeconds: config.getNumber("expirySeconds") || 3600 });
    const clusterId = config.get("clusterId");
    if (clusterId) new docr.ClusterRegistryIntegration("doks", { clusterIds: [clusterId], registryNames: [registry.name] });
    const gcWeek = config.get("gcWeek");
    if (gcWeek) new docr.GarbageCollection("gc", { registryName: registry.name, triggers: { week: gcWeek } });
    if (config.getBoolean("retain")) new docr.RetentionPolicy("keep", { registryName: registry.name, keepLast: 1 });
}
`;

const CLUSTER_ID = "5a4c3b2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";

/** A process that ran pulumi-docr's code when the CLI was killed, and when that was. */
interface Survivor {
    pid: number;
    what: string;
    killedAt: number;
    /** Its start time: the pid alone may name another process by the time it is checked. */
    started: string;
}

/**
 * A running process's start time (`/proc/<pid>/stat` field 22, clock ticks since boot): with the pid,
 * it names one process even once the pid is reused. `undefined` when no such process runs (a zombie
 * has exited: it only waits to be reaped).
 */
function startTimeOf(pid: number): string | undefined {
    let stat: string;
    try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
    // The command name, field 2, is in parentheses and may hold spaces: fields 3 on follow the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" ? undefined : fields[19];
}

/** Whether the process that had this pid and start time still runs. */
const stillRunning = (p: { pid: number; started: string }): boolean => startTimeOf(p.pid) === p.started;

/** Processes of this program folder that load pulumi-docr: the program itself and the dynamic-provider host. */
function processesOf(programDir: string): { pid: number; what: string; started: string }[] {
    const found: { pid: number; what: string; started: string }[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        let cmdline: string;
        try {
            cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
        } catch {
            continue;
        }
        if (!cmdline.includes(programDir)) continue;
        const pid = Number(entry);
        const started = startTimeOf(pid);
        if (started === undefined) continue;
        if (cmdline.includes("cmd/dynamic-provider")) found.push({ pid, what: "dynamic-provider host", started });
        else if (cmdline.includes("cmd/run")) found.push({ pid, what: "program", started });
    }
    return found;
}

/**
 * Pulumi's Node.js language host (Go: it runs no pulumi-docr code) started in `programDir`: a killed
 * CLI leaves it behind, idle, as Pulumi does with every plugin. The suite ends the ones its kills left.
 */
function languageHostsIn(programDir: string): { pid: number; started: string }[] {
    return fs.readdirSync("/proc").flatMap((entry) => {
        if (!/^\d+$/.test(entry)) return [];
        try {
            const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
            if (!cmdline.includes("pulumi-language-nodejs") || fs.readlinkSync(`/proc/${entry}/cwd`) !== programDir)
                return [];
            const started = startTimeOf(Number(entry));
            return started === undefined ? [] : [{ pid: Number(entry), started }];
        } catch {
            return [];
        }
    });
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
    const orphanedLanguageHosts: { pid: number; started: string }[] = [];
    after(function () {
        for (const host of orphanedLanguageHosts) {
            if (!stillRunning(host)) continue; // its pid may be another process's by now
            try {
                process.kill(host.pid, "SIGKILL");
            } catch {
                // Already gone.
            }
        }
    });

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
        const languageHosts = languageHostsIn(program.dir);
        process.kill(-child.pid!, "SIGKILL");
        const killedAt = Date.now();
        survivors.push(...running.map((p) => ({ ...p, killedAt })));
        orphanedLanguageHosts.push(...languageHosts);
        await exited;
        await program.ok(stack, ["cancel", "--yes"]);
        return output;
    }

    /** The emulator holds a request with a fault rule (its latency began), so the provider host is inside it. */
    const holding =
        (team: () => EmulatorProcess = () => emulator) =>
        async (): Promise<boolean> => {
            const { hits } = (await team().admin("GET", "/faults")) as { hits: number[] };
            return hits.some((n) => n > 0);
        };

    before(async function () {
        program = javascriptProgram(workspace(), "recovery", PROGRAM);
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

        // Another stack declaring the same name is not this resource: its preview fails, adopting nothing.
        const intruder = await program.pulumi("intruder", ["up", "--yes"]);
        expect(intruder.code, intruder.output).to.not.equal(0);
        expect(intruder.output).to.match(/registry "acme-interrupted" is already one of this team's registries/);
        expect(await program.resources("intruder", "Registry")).to.deep.equal([]);

        const up = await program.ok("dev", ["up", "--yes"]);
        expect(up.output).to.include("an interrupted pulumi up of this stack had created it; adopted it");
        expect((await program.resources("dev", "Registry")).map((r) => r.id)).to.deep.equal(["acme-interrupted"]);
        expect(await registries()).to.deep.equal(["acme-interrupted", "acme-other"]);
        expect(fs.existsSync(path.join(program.dir, ".pulumi-docr")), "the journal is cleared").to.equal(false);
        await program.ok("dev", ["preview", "--expect-no-changes"]);
        // The engine keeps the killed run's pending create (a warning on every run) until a refresh drops it.
        await program.ok("dev", ["refresh", "--clear-pending-creates", "--yes"]);
        const state = (await program.state("dev")) as { deployment: { pending_operations?: unknown[] } };
        expect(state.deployment.pending_operations ?? []).to.deep.equal([]);
        expect((await program.resources("dev", "Registry")).map((r) => r.id)).to.deep.equal(["acme-interrupted"]);
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
        await killedWhen("dev", ["preview"], holding());
        await program.ok("dev", ["config", "set", "registryName", "acme-replaced"]);

        await emulator.admin("PUT", "/faults", [{ operationId: "registries_list", latencyMs: 120_000, times: 1 }]);
        await killedWhen("dev", ["refresh", "--yes"], holding());
        await program.ok("dev", ["preview", "--expect-no-changes"]);

        await emulator.admin("PUT", "/faults", [
            { operationId: "registries_delete", latencyMs: 120_000, afterHandling: true, times: 1 },
        ]);
        await killedWhen("dev", ["destroy", "--yes"], async () => !(await registries()).includes("acme-replaced"));
        await program.ok("dev", ["destroy", "--yes"]);
        expect(await program.resources("dev", "Registry")).to.deep.equal([]);
        expect(await registries(), "the other stack's registry is untouched").to.deep.equal(["acme-other"]);
    });

    describe("every other operation killed after the API acted, in a team of its own: the next pulumi up finishes it", function () {
        let team: EmulatorProcess;
        const held = (operationId: string) => [{ operationId, latencyMs: 120_000, afterHandling: true, times: 1 }];
        const upToDate = async (): Promise<void> => {
            await program.ok("ops", ["up", "--yes"]);
            await program.ok("ops", ["preview", "--expect-no-changes"]);
        };

        before(async function () {
            team = track(await startEmulatorProcess(program.dir));
            await program.initStack("ops", team, { registryName: "acme-ops", tier: "basic", extras: "true" });
            await team.admin("POST", "/seed", { clusters: [{ id: CLUSTER_ID, name: "doks-ops", region: "fra1" }] });
            await program.ok("ops", ["up", "--yes"]);
        });

        it("Registry tier change", async function () {
            await program.ok("ops", ["config", "set", "tier", "professional"]);
            await team.admin("PUT", "/faults", held("registries_update_subscription"));
            await killedWhen(
                "ops",
                ["up", "--yes"],
                async () => (await team.state()).subscription?.tier === "professional",
            );
            await team.admin("PUT", "/faults", []);
            await upToDate();
            expect((await program.resources("ops", "Registry"))[0]?.outputs?.subscriptionTierSlug).to.equal(
                "professional",
            );
        });

        it("RegistryCredentials (replaced: new ones first)", async function () {
            const issued = (await team.state()).credentials.length;
            await program.ok("ops", ["config", "set", "expirySeconds", "7200"]);
            await team.admin("PUT", "/faults", held("registries_get_dockerCredentials"));
            await killedWhen("ops", ["up", "--yes"], async () => (await team.state()).credentials.length > issued);
            await team.admin("PUT", "/faults", []);
            await upToDate();
            const credentials = await program.resources("ops", "RegistryCredentials");
            expect(credentials.map((c) => c.outputs?.expirySeconds)).to.deep.equal([7200]);
        });

        it("ClusterRegistryIntegration", async function () {
            await program.ok("ops", ["config", "set", "clusterId", CLUSTER_ID]);
            await team.admin("PUT", "/faults", held("kubernetes_add_registries"));
            await killedWhen("ops", ["up", "--yes"], async () =>
                (await team.state()).clusters.some((c) => c.registries.includes("acme-ops")),
            );
            await team.admin("PUT", "/faults", []);
            await upToDate();
            expect((await team.state()).clusters.map((c) => c.registries)).to.deep.equal([["acme-ops"]]);
            expect(await program.resources("ops", "ClusterRegistryIntegration")).to.have.length(1);
        });

        it("GarbageCollection start: the run the killed start began is this resource's, not doubled", async function () {
            await program.ok("ops", ["config", "set", "gcWeek", "w1"]);
            await team.admin("PUT", "/faults", held("registries_run_garbageCollection"));
            await killedWhen(
                "ops",
                ["up", "--yes"],
                holding(() => team),
            );
            await team.admin("PUT", "/faults", []);
            await upToDate();
            const runs = (await team.api("GET", "/v2/registries/acme-ops/garbage-collections")) as {
                garbage_collections: unknown[];
            };
            expect(runs.garbage_collections).to.have.length(1);
            const [gc] = await program.resources("ops", "GarbageCollection");
            expect(gc?.outputs?.joined, "the stack's own run (destroy cancels it while active)").to.equal(false);
        });

        it("RetentionPolicy mid-deletions: the rest is deleted, and only what the policy selects", async function () {
            const manifests = ["v1", "v2", "v3", "v4"].map((tag) => ({ tags: [tag] }));
            await team.admin("POST", "/seed", {
                registries: [{ name: "acme-ops", repositories: [{ name: "app", manifests }] }],
            });
            await program.ok("ops", ["config", "set", "retain", "true"]);
            await team.admin("PUT", "/faults", [
                ...held("registries_delete_repositoryManifest"),
                ...held("registries_delete_repositoryTag"),
            ]);
            await killedWhen(
                "ops",
                ["up", "--yes"],
                holding(() => team),
            );
            await team.admin("PUT", "/faults", []);
            await program.ok("ops", ["up", "--yes"]);
            const app = (await team.state()).registries[0]?.repositories.find((r) => r.name === "app");
            expect(app?.manifests.flatMap((m) => m.tags)).to.deep.equal(["v4"]);
        });
    });

    // Mocha runs a block's own tests before its nested blocks: this check comes after every kill above.
    describe("after every kill above", function () {
        it("no process that ran pulumi-docr's code outlives a kill: each is gone within 45 s of it", async function () {
            expect(survivors.length, "the kills above caught processes running pulumi-docr").to.be.greaterThan(2);
            expect(survivors.map((s) => s.what)).to.include("dynamic-provider host");
            for (const survivor of survivors) {
                await until(
                    `${survivor.what} ${survivor.pid} to exit`,
                    () => !stillRunning(survivor),
                    Math.max(0, survivor.killedAt + 45_000 - Date.now()),
                ).catch(() => {
                    throw new Error(`${survivor.what} ${survivor.pid} still alive 45 s after the CLI was killed`);
                });
            }
        });
    });
});
