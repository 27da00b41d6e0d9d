/**
 * A stack of 10 registries (Professional) and 50 registry credentials, through the real
 * dynamic-provider host against the emulator: total API calls and wall time for create, a no-change
 * refresh (a read of each resource) and destroy. Steps of a dependency wave run 10 at once, like
 * the engine's parallel steps.
 *
 *   npx ts-node --transpile-only bench/stack.ts
 *
 * Run twice: with the client's default limit (250 requests in any minute, process-wide: what users
 * get; a phase of fewer than 250 requests goes out as one burst, a bigger one waits for the window)
 * and with the limit lifted (what the host and provider cost).
 */
import type { RequestRecord } from "../emulator";
import { StackDriver, type DesiredResource, type RunResult } from "../harness/stack";
import { startWorld } from "../harness/world";
import { machine, table } from "./lib/report";

const REGISTRIES = 10;
const CREDENTIALS_PER_REGISTRY = 5;
const REGIONS = ["nyc3", "sfo3", "ams3", "fra1", "sgp1"];

function desiredStack(): DesiredResource[] {
    const out: DesiredResource[] = [];
    for (let r = 0; r < REGISTRIES; r++) {
        const name = `bench-stack-${r}`;
        out.push({
            kind: "Registry",
            name: `reg-${r}`,
            inputs: { name, region: REGIONS[r % REGIONS.length], subscriptionTierSlug: "professional" },
        });
        for (let c = 0; c < CREDENTIALS_PER_REGISTRY; c++) {
            out.push({
                kind: "RegistryCredentials",
                name: `creds-${r}-${c}`,
                inputs: { registryName: name, readWrite: c === 0, expirySeconds: c % 2 === 0 ? 3600 : 0 },
                dependsOn: [`reg-${r}`],
            });
        }
    }
    return out;
}

function byOperation(requests: RequestRecord[]): string {
    const counts = new Map<string, number>();
    for (const r of requests) counts.set(r.operationId, (counts.get(r.operationId) ?? 0) + 1);
    return [...counts].map(([op, n]) => `${op.replace(/^registries_/, "")} ${n}`).join(", ");
}

interface Phase {
    phase: string;
    result: RunResult;
    requests: RequestRecord[];
}

async function runStack(limit: "default" | "lifted"): Promise<Phase[]> {
    const world = await startWorld({
        callTimeoutMs: 120_000,
        // The emulator enforces the API's 250/min too when the client keeps to it.
        emulator: { rateLimitPerMinute: limit === "default" ? 250 : 0 },
        hostEnv: limit === "default" ? {} : { DOCR_MAX_REQUESTS_PER_MINUTE: "1000000" },
    });
    const phases: Phase[] = [];
    try {
        const driver = new StackDriver(world, { concurrency: 10 });
        // Load every provider in the host first (one-off, like the engine's first call).
        for (const kind of ["Registry", "RegistryCredentials"] as const)
            await (
                await world.resource(kind, "warm")
            )
                .diff("x", { name: "x", registryName: "x" }, { name: "x", registryName: "x" })
                .catch(() => undefined);
        world.emulator.clearRequests();
        const run = async (phase: string, fn: () => Promise<RunResult>) => {
            world.emulator.clearRequests();
            const result = await fn();
            const requests = world.emulator.requests();
            if (result.failures.length > 0 || result.skipped.length > 0 || result.gone.length > 0) {
                throw new Error(
                    `${phase}: ${result.failures.length} failures (${result.failures[0]?.error}), ${result.skipped.length} skipped, ${result.gone.length} gone`,
                );
            }
            phases.push({ phase, result, requests });
        };
        const desired = desiredStack();
        await run("create (pulumi up)", () => driver.up(desired));
        const snap = world.emulator.snapshot();
        if (
            snap.registries.length !== REGISTRIES ||
            world.emulator.credentials().length !== REGISTRIES * CREDENTIALS_PER_REGISTRY
        ) {
            throw new Error(
                `unexpected state after create: ${snap.registries.length} registries, ${world.emulator.credentials().length} credentials`,
            );
        }
        await run("refresh (no change)", () => driver.refresh());
        await run("up again (no change)", () => driver.up(desired));
        await run("destroy", () => driver.destroy());
        if (world.emulator.snapshot().registries.length !== 0) throw new Error("registries left after destroy");
        if (world.emulator.requests().some((r) => r.status === 429)) throw new Error("the emulator answered 429");
    } finally {
        await world.stop();
    }
    return phases;
}

async function main(): Promise<void> {
    const started = Date.now();
    console.log("# A stack of 10 registries (Professional) and 50 credentials through the dynamic-provider host\n");
    console.log(`machine: ${machine()}\n`);
    for (const limit of ["default", "lifted"] as const) {
        const phases = await runStack(limit);
        console.log(
            limit === "default"
                ? "## client at its default limit (250 requests/min, process-wide; the emulator enforces 250/min too)\n"
                : "\n## client limit lifted (DOCR_MAX_REQUESTS_PER_MINUTE=1000000): host + provider cost only\n",
        );
        console.log(
            table(
                ["phase", "host calls", "API calls", "wall time", "API calls by operation"],
                phases.map((p) => [
                    p.phase,
                    p.result.steps.length,
                    p.requests.length,
                    `${(p.result.ms / 1000).toFixed(2)} s`,
                    byOperation(p.requests) || "none",
                ]),
            ),
        );
    }
    console.log(
        "\nfloor: create = 10 creates + 50 credential issues (+ check look-ups: options once, validate-name per new name);",
    );
    console.log(
        "refresh = one listing shared by every read (was one request per read: 60); no-change up = check + diff only (no API call for unchanged names);",
    );
    console.log("destroy = 10 deletes (credentials have no revoke API: 0 calls).");
    console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
});
