/**
 * The team's API budget: 4 stacks deployed in parallel on one token, each its own process with a
 * real dynamic-provider host (what `pulumi up` starts) pointed at one shared emulator whose windows
 * are scaled down. Each stack is 3 registries and 30 credentials (up, refresh, destroy); `dev` also
 * runs a RetentionPolicy over 3,000 tags (1,000 manifests of 3 tags: 1,000 DELETEs by digest),
 * `up` again while it reports remaining deletions. Counted at the emulator: peak admitted
 * requests per window against each limit, the lowest `ratelimit-remaining` any response carried
 * against the reserve, and totals; failed engine steps counted by the stacks.
 *
 *   npm run bench:quota
 *
 * Scale: 60 a "minute" of 1 s and 600 an "hour" of 15 s (the API: 250 a minute, 5,000 an hour);
 * each host keeps the default reserve of 20% of the hour (120, DOCR_QUOTA_RESERVE). The hosts'
 * per-minute limit (DOCR_MAX_REQUESTS_PER_MINUTE) is the emulator's rate per real minute (3,600:
 * its window is a real minute), so the emulator's minute refuses what 4 processes send at once,
 * and the hosts absorb those 429s.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type FixtureManifest } from "../emulator";
import { peakInWindow } from "./lib/quota-workers";
import type { StackConfig } from "./lib/quota-stack";
import { runStacks } from "./lib/quota-stacks";
import { machine, table } from "./lib/report";

const PER_MINUTE = 60;
const MINUTE_MS = 1_000;
const PER_HOUR = 600;
const HOUR_MS = 15_000;
const RESERVE_SHARE = 0.2;
const BULK_MANIFESTS = 1_000;
const TAGS_PER_MANIFEST = 3;
/** Deletions per run: the plan of 1,000 takes three `up`s (400, 400, 200). */
const MAX_DELETIONS_PER_RUN = 400;
/** A team has at most 10 registries: 3 stacks of 3 and the bulk one. */
const STACK_SLOTS = 3;
const DAY = 86_400_000;

function bulkManifests(now: number): FixtureManifest[] {
    return Array.from({ length: BULK_MANIFESTS }, (_, k) => ({
        digest: `sha256:build-${k}`,
        tags: Array.from({ length: TAGS_PER_MANIFEST }, (_, t) => `b${k}${["", "-amd64", "-arm64"][t] ?? `-${t}`}`),
        updatedAt: new Date(now - (BULK_MANIFESTS - k) * DAY).toISOString(),
    }));
}

async function main(): Promise<void> {
    const emu = await startEmulator({
        rateLimitPerMinute: PER_MINUTE,
        minuteWindowMs: MINUTE_MS,
        rateLimitPerHour: PER_HOUR,
        hourWindowMs: HOUR_MS,
        seed: 1,
        fixture: { subscriptionTier: "professional", registries: [] },
    });
    // Seeded through the emulator's admin seeding, as tests seed a registry.
    emu.seed({
        subscriptionTier: "professional",
        registries: [
            {
                name: "bulk",
                region: "fra1",
                repositories: [{ name: "ci/builds", manifests: bulkManifests(Date.now()) }],
            },
        ],
    });
    emu.clearRequests();
    const planDir = fs.mkdtempSync(path.join(os.tmpdir(), "docr-bench-quota-"));
    try {
        const stacks = ["dev", "staging", "prod", "ops"];
        const configs: StackConfig[] = stacks.map((id, i) => ({
            id,
            url: emu.url,
            token: emu.token,
            registries: [1, 2, 3].map((n) => `bench-${id}-${n}`),
            credentialsPerRegistry: 10,
            concurrency: 10,
            hostEnv: {
                DOCR_QUOTA_RESERVE: String(RESERVE_SHARE),
                // The emulator's windows are scaled down, the client's own per-minute window is not: this
                // many a real minute is the emulator's 60 a second, what the whole team can spend at most.
                DOCR_MAX_REQUESTS_PER_MINUTE: String(Math.round((PER_MINUTE * 60_000) / MINUTE_MS)),
                DOCR_RETENTION_PLAN_DIR: path.join(planDir, id),
            },
            ...(i === 0
                ? {
                      retention: {
                          registryName: "bulk",
                          repository: "ci/builds",
                          maxDeletionsPerRun: MAX_DELETIONS_PER_RUN,
                      },
                  }
                : {}),
        }));
        const started = Date.now();
        const reports = await runStacks(configs, STACK_SLOTS);
        const wallSeconds = (Date.now() - started) / 1000;

        const log = emu.requests();
        const refused = log.filter((r) => r.status === 429);
        const admitted = log.filter((r) => r.status !== 429);
        const times = admitted.map((r) => Date.parse(r.time));
        const reserve = Math.ceil(RESERVE_SHARE * PER_HOUR);
        const lowest = Math.min(...admitted.map((r) => r.rateRemaining ?? PER_HOUR));
        const failed = reports.reduce((n, r) => n + r.failed, 0);
        const left = emu.snapshot();
        const bulkTagsLeft =
            left.registries
                .find((r) => r.name === "bulk")
                ?.repositories.flatMap((r) => r.manifests.flatMap((m) => m.tags)).length ?? -1;

        const retention = reports.find((r) => r.retention)?.retention;
        const sum = (f: (r: (typeof reports)[number]) => number) => reports.reduce((n, r) => n + f(r), 0);

        console.log(
            `# quota: 4 stacks (a provider host each) on one token, ${PER_MINUTE} per ${MINUTE_MS} ms "minute", ${PER_HOUR} per ${HOUR_MS} ms "hour", reserve ${RESERVE_SHARE} (${reserve})\n`,
        );
        console.log(machine());
        console.log(
            table(
                [
                    "stack",
                    "steps",
                    "failed",
                    "slot wait (s)",
                    "up / refresh / destroy (s)",
                    "429s absorbed",
                    "429 waits (s)",
                    "notices",
                    "wall (s)",
                ],
                reports.map((r) => [
                    r.id,
                    String(r.steps),
                    String(r.failed),
                    (r.slotWaitMs / 1000).toFixed(1),
                    [r.phases.up, r.phases.refresh, r.phases.destroy].map((ms) => (ms / 1000).toFixed(1)).join(" / "),
                    String(r.refusalsAbsorbed),
                    (r.refusalWaitMs / 1000).toFixed(1),
                    String(r.notices.length),
                    (r.wallMs / 1000).toFixed(1),
                ]),
            ),
        );
        console.log("");
        console.log(
            table(
                ["figure", "value", "bound"],
                [
                    ["failed engine steps", `${failed} of ${sum((r) => r.steps)}`, "0"],
                    ["requests (admitted + refused)", `${log.length} (${admitted.length} + ${refused.length})`, ""],
                    [
                        "429s: by the minute / by the hour",
                        `${refused.filter((r) => r.refusedBy === "minute").length} / ${refused.filter((r) => r.refusedBy === "hour").length}`,
                        "",
                    ],
                    [
                        `peak admitted in any ${MINUTE_MS} ms "minute"`,
                        String(peakInWindow(times, MINUTE_MS)),
                        `<= ${PER_MINUTE}`,
                    ],
                    [
                        `peak admitted in any ${HOUR_MS} ms "hour"`,
                        String(peakInWindow(times, HOUR_MS)),
                        `<= ${PER_HOUR}`,
                    ],
                    ["lowest ratelimit-remaining answered", String(lowest), `>= ${reserve} (reserve)`],
                    [
                        "429s absorbed / their waits",
                        `${sum((r) => r.refusalsAbsorbed)} / ${(sum((r) => r.refusalWaitMs) / 1000).toFixed(0)} s`,
                        "",
                    ],
                    [
                        "long-wait notices / seconds they announced",
                        `${sum((r) => r.notices.length)} / ${sum((r) => r.noticedWaitS)} s`,
                        "",
                    ],
                    [
                        "retention: runs / deleted tags, manifests / left",
                        retention
                            ? `${retention.runs} / ${retention.deletedTags}, ${retention.deletedManifests} / ${retention.remaining}`
                            : "-",
                        `${Math.ceil(BULK_MANIFESTS / MAX_DELETIONS_PER_RUN)} / ${BULK_MANIFESTS * TAGS_PER_MANIFEST}, ${BULK_MANIFESTS} / 0`,
                    ],
                    [
                        "retention: DELETEs by digest / by tag",
                        `${log.filter((r) => r.operationId === "registries_delete_repositoryManifest" && r.status !== 429).length} / ${log.filter((r) => r.operationId === "registries_delete_repositoryTag" && r.status !== 429).length}`,
                        `${BULK_MANIFESTS} / 0`,
                    ],
                    ["retention wall time", retention ? `${(retention.ms / 1000).toFixed(1)} s` : "-", ""],
                    ["bulk tags left / registries left", `${bulkTagsLeft} / ${left.registries.length - 1}`, "0 / 0"],
                    ["wall time", `${wallSeconds.toFixed(1)} s`, ""],
                ],
            ),
        );
        const example = reports.flatMap((r) => r.notices)[0];
        if (example) console.log(`\nexample notice: "${example}"`);
        for (const r of reports) for (const e of r.errors) console.log(`error (${r.id}): ${e}`);
        const ok =
            failed === 0 &&
            peakInWindow(times, MINUTE_MS) <= PER_MINUTE &&
            peakInWindow(times, HOUR_MS) <= PER_HOUR &&
            lowest >= reserve &&
            bulkTagsLeft === 0 &&
            retention?.remaining === 0;
        if (!ok) process.exitCode = 1;
    } finally {
        await emu.stop();
        fs.rmSync(planDir, { recursive: true, force: true });
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
