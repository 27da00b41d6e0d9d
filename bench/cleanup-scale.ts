/**
 * Cleanup at the scale of real registries: API requests and time of a RetentionPolicy's preview
 * (cold: no cached inventories; warm: the registry unchanged since) and of `pulumi up` (dry run;
 * apply), driven like the engine (a preview is one check; an up is the preview's check, the
 * update's check and the run) through a real dynamic-provider host against the emulator in its
 * own process. Requests are counted in the emulator's request log. The host does not pace (the
 * emulator's rate limit is off), so "measured" is the work itself; "at 250/min" is the time the
 * client's pacing at the API's limit sets for that many requests.
 *
 *   npx ts-node --transpile-only bench/cleanup-scale.ts            50 × 1,000 and 100 × 2,000
 *   npx ts-node --transpile-only bench/cleanup-scale.ts 10x200     one shape (repositories x tags)
 *   npx ts-node --transpile-only bench/cleanup-scale.ts resume     10,000 deletions across runs
 *
 * `resume`: 10 repositories × 1,000 tags, every deletable one deleted (10,000 deletions), `pulumi
 * up` after `pulumi up` until nothing is left, against the emulator's hourly quota (5,000, its
 * "hour" shortened to 30 s) with the client's default share (`DOCR_QUOTA_RESERVE` 0.2): it prints
 * the runs, the requests, the 429s of the hourly window (none expected) and the least quota left.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bindResource, startProviderHost, urn, type BoundResource, type ProviderHost } from "../harness/engine";
import { serializedProvider } from "../harness/world";
import type { Fixture } from "../emulator";
import { startEmulatorProcess, type EmulatorProcess } from "./lib/emulator-process";
import { machine, table } from "./lib/report";

const REGISTRY = "scale";
/** The policy: keep the newest 50 tags, consider only tags older than 30 days, untagged manifests too. */
const RULES = { registryName: REGISTRY, keepLast: 50, olderThanDays: 30, deleteUntaggedManifests: true };
const API_PER_MINUTE = 250;

interface Shape {
    repositories: number;
    tags: number;
}

interface Row {
    step: string;
    requests: number;
    ms: number;
    note: string;
}

function fixtureOf(shape: Shape): Fixture {
    return {
        subscriptionTier: "professional",
        registries: [
            {
                name: REGISTRY,
                region: "fra1",
                repositories: Array.from({ length: shape.repositories }, (_, i) => ({
                    name: `app-${String(i).padStart(3, "0")}`,
                    generate: { tagCount: shape.tags, untaggedCount: 50, seed: i + 1 },
                })),
            },
        ],
    };
}

function paced(requests: number): string {
    const s = (requests / API_PER_MINUTE) * 60;
    return s < 90 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`;
}

async function measure(emu: EmulatorProcess, rows: Row[], step: string, work: () => Promise<string>): Promise<number> {
    await emu.clearRequests();
    const started = Date.now();
    const note = await work();
    const ms = Date.now() - started;
    const requests = (await emu.requests()).length;
    rows.push({ step, requests, ms, note });
    console.log(
        `  ${step}: ${requests} requests, ${(ms / 1000).toFixed(1)} s measured, ${paced(requests)} at 250/min ${note}`,
    );
    return requests;
}

/** `pulumi up`: the preview's check, the update's check (bounded by the preview's), then the run. */
async function up(
    policy: BoundResource,
    news: Record<string, unknown>,
    olds?: { id: string; properties: Record<string, unknown> },
) {
    await policy.check(olds?.properties ?? {}, news);
    const checked = await policy.check(olds?.properties ?? {}, news);
    if (olds)
        return { id: olds.id, properties: (await policy.update(olds.id, olds.properties, checked.inputs)).properties };
    return policy.create(checked.inputs);
}

/**
 * A RetentionPolicy in a real provider host on `emu`, with its own plan directory; the host, the
 * emulator and the directory are stopped and removed after `work`. The host does not pace.
 */
async function withPolicy<T>(
    emu: EmulatorProcess,
    name: string,
    env: Record<string, string>,
    work: (policy: BoundResource, planDir: string) => Promise<T>,
): Promise<T> {
    const planDir = fs.mkdtempSync(path.join(os.tmpdir(), "docr-bench-cleanup-"));
    let host: ProviderHost | undefined;
    try {
        host = await startProviderHost({
            env: { DOCR_MAX_REQUESTS_PER_MINUTE: "1000000", DOCR_RETENTION_PLAN_DIR: planDir, ...env },
            callTimeoutMs: 3_600_000,
        });
        await host.configure({ "digitalocean:token": emu.token, "digitalocean:apiUrl": emu.url });
        const provider = await serializedProvider("RetentionPolicy");
        return await work(
            bindResource(host, provider, urn("pulumi-nodejs:dynamic/docr:RetentionPolicy", name)),
            planDir,
        );
    } finally {
        await host?.stop();
        await emu.stop();
        fs.rmSync(planDir, { recursive: true, force: true });
    }
}

async function runShape(shape: Shape): Promise<Row[]> {
    console.log(`\n${shape.repositories} repositories × ${shape.tags} tags (+50 untagged manifests each)`);
    const emu = await startEmulatorProcess(fixtureOf(shape), []);
    const rows: Row[] = [];
    await withPolicy(emu, "scale", {}, async (policy, planDir) => {
        const dry = { ...RULES, dryRun: true };
        const clearCache = () => fs.rmSync(path.join(planDir, "inventories"), { recursive: true, force: true });
        const clearChecks = () => fs.rmSync(path.join(planDir, "checks"), { recursive: true, force: true });

        await measure(emu, rows, "preview, cold", async () => {
            await policy.check({}, dry);
            return "";
        });
        await measure(emu, rows, "preview, warm", async () => {
            await policy.check({}, dry);
            return "";
        });
        clearCache();
        clearChecks();
        let state = { id: "", properties: {} as Record<string, unknown> };
        await measure(emu, rows, "up, dry run, cold", async () => {
            state = await up(policy, dry);
            const planned = state.properties.plannedDeletions as { tags: number; manifests: number };
            return `(plans ${planned.tags} tags, ${planned.manifests} manifests)`;
        });
        await measure(emu, rows, "up, dry run, warm", async () => {
            state = await up(policy, dry, state);
            return "";
        });
        await measure(emu, rows, "up, apply (maxDeletionsPerRun 1000)", async () => {
            state = await up(policy, { ...RULES, dryRun: false }, state);
            const p = state.properties;
            const left = p.remainingDeletions as { requests: number };
            return `(deleted ${String(p.deletedTags)} tags, ${String(p.deletedManifests)} manifests; ${left.requests} deletions wait)`;
        });
    });
    return rows;
}

const HOUR_MS = 30_000;

/** 10,000 deletions, 1,000 a run, within the quota share: each `up` resumes where the last stopped. */
async function resume(): Promise<void> {
    const shape = { repositories: 10, tags: 1000 };
    console.log(
        `\nresume: ${shape.repositories} repositories × ${shape.tags} tags, the quota's "hour" ${HOUR_MS / 1000} s`,
    );
    const emu = await startEmulatorProcess(
        fixtureOf(shape),
        [],
        ["--rate-limit-hour", "5000", "--hour-window-ms", String(HOUR_MS)],
    );
    await withPolicy(emu, "resume", { DOCR_QUOTA_RESERVE: "0.2" }, async (policy) => {
        const rules = { ...RULES, olderThanDays: 0, dryRun: false };
        const started = Date.now();
        let state: { id: string; properties: Record<string, unknown> } | undefined;
        let runs = 0;
        let deleted = 0;
        let left = -1;
        while (left !== 0 && runs < 20) {
            state = await up(policy, rules, state);
            runs += 1;
            deleted += Number(state.properties.deletedManifests);
            left = (state.properties.remainingDeletions as { requests: number }).requests;
            console.log(
                `  run ${runs}: ${String(state.properties.deletedManifests)} manifests deleted, ${left} deletions wait`,
            );
        }
        const records = await emu.requests();
        const refused = records.filter((r) => r.refusedBy === "hour").length;
        const least = Math.min(...records.map((r) => r.rateRemaining ?? Infinity));
        const deletions = records.filter((r) => r.method === "DELETE").length;
        console.log(
            table(
                ["runs", "manifests deleted", "DELETEs", "requests", "429 (hour)", "least quota left", "wall"],
                [
                    [
                        runs,
                        deleted,
                        deletions,
                        records.length,
                        refused,
                        least,
                        `${((Date.now() - started) / 1000).toFixed(0)} s`,
                    ],
                ],
            ),
        );
    });
}

async function main(): Promise<void> {
    console.log(`cleanup at scale (${machine()})`);
    if (process.argv[2] === "resume") return resume();
    const shapes = process.argv.slice(2).length
        ? process.argv.slice(2).map((a) => {
              const [repositories, tags] = a.split("x").map(Number);
              return { repositories, tags };
          })
        : [
              { repositories: 50, tags: 1000 },
              { repositories: 100, tags: 2000 },
          ];
    for (const shape of shapes) {
        const rows = await runShape(shape);
        console.log(
            table(
                ["step", "requests", "measured", "at 250/min", ""],
                rows.map((r) => [r.step, r.requests, `${(r.ms / 1000).toFixed(1)} s`, paced(r.requests), r.note]),
            ),
        );
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
