/**
 * The team's API budget: 4 processes on one token (stacks deployed in parallel) against one
 * emulator with both windows scaled down, one of them also deleting 3,000 tags one by one.
 * Counted at the emulator: failed operations, peak admitted requests per window against each
 * limit, the lowest `ratelimit-remaining` any response carried against the reserve, and totals.
 *
 *   npm run bench:quota
 *
 * Scale: 60 a "minute" of 1 s and 600 an "hour" of 15 s (the API: 250 a minute, 5,000 an hour);
 * each process keeps the default reserve of 20% of the hour (120). The client's own per-minute
 * limit is the emulator's rate per real minute (3,600: its window is a real minute), so the
 * emulator's minute refuses what 4 processes send at once, and the clients absorb those 429s.
 */
import { startEmulator } from "../emulator";
import { peakInWindow, runWorkers } from "./lib/quota-workers";
import type { WorkerConfig } from "./lib/quota-worker";
import { machine, table } from "./lib/report";

const PER_MINUTE = 60;
const MINUTE_MS = 1_000;
const PER_HOUR = 600;
const HOUR_MS = 15_000;
const RESERVE_SHARE = 0.2;
const BULK_TAGS = 3_000;

async function main(): Promise<void> {
    const emu = await startEmulator({
        rateLimitPerMinute: PER_MINUTE,
        minuteWindowMs: MINUTE_MS,
        rateLimitPerHour: PER_HOUR,
        hourWindowMs: HOUR_MS,
        seed: 1,
        fixture: {
            subscriptionTier: "professional",
            registries: [
                {
                    name: "bulk",
                    region: "fra1",
                    repositories: [{ name: "ci/builds", generate: { tagCount: BULK_TAGS, seed: 3 } }],
                },
            ],
        },
    });
    try {
        const stacks = ["dev", "staging", "prod", "ops"];
        const configs: WorkerConfig[] = stacks.map((id, i) => ({
            id,
            url: emu.url,
            token: emu.token,
            credentialsPerRegistry: 10,
            quotaReserve: RESERVE_SHARE,
            perMinuteLimit: Math.round((PER_MINUTE * 60_000) / MINUTE_MS),
            registries: [1, 2, 3].map((n) => `bench-${id}-${n}`),
            ...(i === 0 ? { bulkRegistry: "bulk", bulkRepository: "ci/builds" } : {}),
        }));
        const started = Date.now();
        const reports = await runWorkers(configs);
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

        console.log(
            `# quota: 4 processes on one token, ${PER_MINUTE} per ${MINUTE_MS} ms "minute", ${PER_HOUR} per ${HOUR_MS} ms "hour", reserve ${RESERVE_SHARE} (${reserve})\n`,
        );
        console.log(machine());
        console.log(
            table(
                [
                    "process",
                    "operations",
                    "failed",
                    "quota waits",
                    "waited (s)",
                    "429s absorbed",
                    "notices",
                    "wall (s)",
                ],
                reports.map((r) => [
                    r.id,
                    String(r.operations),
                    String(r.failed),
                    String(r.quotaWaits),
                    (r.quotaWaitMs / 1000).toFixed(1),
                    String(r.refusalsAbsorbed),
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
                    ["failed operations", String(failed), "0"],
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
                        "quota waits (calls) / total waited",
                        `${reports.reduce((n, r) => n + r.quotaWaits, 0)} / ${(reports.reduce((n, r) => n + r.quotaWaitMs, 0) / 1000).toFixed(0)} s`,
                        "",
                    ],
                    ["long-wait notices", String(reports.reduce((n, r) => n + r.notices.length, 0)), ""],
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
            bulkTagsLeft === 0;
        if (!ok) process.exitCode = 1;
    } finally {
        await emu.stop();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
