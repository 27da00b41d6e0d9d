/**
 * Paging cost: listing 10,000 tags with 50 ms of injected latency per page request, the client's
 * concurrent paging against sequential paging (same client code, pageConcurrency 1), measured in
 * the same run; then 2,000 repositories through repositoriesV2 (page_token, one page at a time).
 *
 *   npx ts-node --transpile-only bench/pagination.ts      (or: npm run bench:pagination)
 *
 * Requests are counted at the emulator. Exits 1 if any listing misses or duplicates an item, or
 * makes other than ceil(N/200) requests.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { generateRepository, type FixtureRepository } from "../emulator";
import { type EmulatorProcess, startEmulatorProcess } from "./lib/emulator-process";
import { DocrClient } from "../provider/client";
import { DEFAULT_PAGE_CONCURRENCY } from "../provider/client/pagination";

const TAGS = 10_000;
const REPOSITORIES = 2_000;
const LATENCY_MS = 50;
const PER_PAGE = 200;
const RATIO_TARGET = 14;
/**
 * The client runs at its defaults (at most 250 requests in any minute): warm-up (a 2,000-tag
 * listing, 10 requests) + 3 concurrent listings + 1 sequential + repositories stay within that
 * budget (220 requests). The concurrent listing is short (a few hundred ms) and most exposed to a
 * busy machine, hence the median of three; the sequential one takes seconds.
 */
const CONCURRENT_RUNS = 3;
const SEQUENTIAL_RUNS = 1;
const WARM_TAGS = 2_000;

interface Measurement {
    label: string;
    requests: number;
    items: number;
    unique: number;
    ms: number;
    /** CPU time of this process (the client) and of the emulator's while the listing ran. */
    clientCpuMs: number;
    emulatorCpuMs: number;
}

/** A process's CPU time so far (user + system), from /proc; NaN elsewhere than Linux. */
function processCpuMs(pid: number): number {
    try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
    } catch {
        return NaN;
    }
}

const problems: string[] = [];

async function measure(
    emu: EmulatorProcess,
    label: string,
    operationId: string,
    expectedItems: number,
    list: () => AsyncIterable<string>,
): Promise<Measurement> {
    await emu.clearRequests();
    const seen: string[] = [];
    const cpu = process.cpuUsage();
    const emulatorCpu = processCpuMs(emu.pid);
    const started = performance.now();
    for await (const key of list()) seen.push(key);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const clientCpuMs = (used.user + used.system) / 1000;
    const emulatorCpuMs = processCpuMs(emu.pid) - emulatorCpu;
    const log = await emu.requests();
    const requests = log.filter((r) => r.operationId === operationId).length;
    const m: Measurement = {
        label,
        requests,
        items: seen.length,
        unique: new Set(seen).size,
        ms,
        clientCpuMs,
        emulatorCpuMs,
    };
    const expectedRequests = Math.ceil(expectedItems / PER_PAGE);
    if (m.items !== expectedItems) problems.push(`${label}: ${m.items} items, expected ${expectedItems}`);
    if (m.unique !== m.items) problems.push(`${label}: ${m.items - m.unique} duplicated item(s)`);
    if (m.requests !== expectedRequests)
        problems.push(
            `${label}: ${m.requests} requests, expected ceil(${expectedItems}/${PER_PAGE}) = ${expectedRequests}`,
        );
    if (log.length !== requests) problems.push(`${label}: ${log.length - requests} request(s) to other operations`);
    const failed = log.filter((r) => r.status !== 200);
    if (failed.length > 0) problems.push(`${label}: ${failed.length} non-200 answer(s)`);
    return m;
}

function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] ?? NaN;
}

function row(cells: (string | number)[], widths: number[]): string {
    return cells
        .map((c, i) => String(c).padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd();
}

async function main(): Promise<void> {
    const setupStarted = performance.now();
    const many: FixtureRepository[] = Array.from({ length: REPOSITORIES }, (_, i) => ({
        name: `svc/${String(i).padStart(4, "0")}`,
        manifests: [
            {
                digest: `sha256:${i.toString(16).padStart(64, "0")}`,
                tags: ["v1"],
                blobs: [{ digest: `sha256:${"b".repeat(64)}`, sizeBytes: 1024 }],
            },
        ],
    }));
    // The emulator's own 429s are off: this measures paging, not rate limiting.
    const emu = await startEmulatorProcess(
        {
            subscriptionTier: "professional",
            registries: [
                {
                    name: "bench",
                    repositories: [
                        generateRepository({ name: "team/big", tagCount: TAGS, seed: 7 }),
                        generateRepository({ name: "team/warm", tagCount: WARM_TAGS, seed: 8 }),
                    ],
                },
                { name: "wide", repositories: many },
            ],
        },
        [
            { operationId: "registries_list_repositoryTags", latencyMs: LATENCY_MS },
            { operationId: "registries_list_repositoriesV2", latencyMs: LATENCY_MS },
        ],
    );
    const client = (pageConcurrency?: number) =>
        new DocrClient({
            token: emu.token,
            apiUrl: emu.url,
            ...(pageConcurrency === undefined ? {} : { pageConcurrency }),
        });
    const concurrent = client();
    const sequential = client(1);
    const setupMs = performance.now() - setupStarted;

    const tagKeys = (c: DocrClient, repo = "team/big") =>
        async function* () {
            for await (const t of c.listTags("bench", repo)) yield t.tag;
        };
    const repoKeys = async function* () {
        for await (const r of concurrent.listRepositories("wide")) yield r.name;
    };

    try {
        // Warm-up (connections, JIT), not reported.
        await measure(emu, "warm-up", "registries_list_repositoryTags", WARM_TAGS, tagKeys(concurrent, "team/warm"));
        problems.length = 0;
        // The emulator keeps a repository's tag order between requests: have it ready for both sides.
        await fetch(`${emu.url}/v2/registries/bench/repositories/team%2Fbig/tags?per_page=1`, {
            headers: { authorization: `Bearer ${emu.token}` },
        });

        const conc: Measurement[] = [];
        const seq: Measurement[] = [];
        for (let i = 0; i < Math.max(CONCURRENT_RUNS, SEQUENTIAL_RUNS); i++) {
            // Interleaved so drift (GC, CPU frequency, other load) hits both sides alike.
            if (i < CONCURRENT_RUNS)
                conc.push(
                    await measure(
                        emu,
                        `concurrent run ${i + 1}`,
                        "registries_list_repositoryTags",
                        TAGS,
                        tagKeys(concurrent),
                    ),
                );
            if (i < SEQUENTIAL_RUNS)
                seq.push(
                    await measure(
                        emu,
                        `sequential run ${i + 1}`,
                        "registries_list_repositoryTags",
                        TAGS,
                        tagKeys(sequential),
                    ),
                );
        }
        const repos = await measure(emu, "repositoriesV2", "registries_list_repositoriesV2", REPOSITORIES, repoKeys);

        const concMs = median(conc.map((m) => m.ms));
        const seqMs = median(seq.map((m) => m.ms));
        const w = [34, 9, 7, 11, 24];
        const lines = [
            `bench/pagination: node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ""}`.trimEnd(),
            `emulator in its own process on ${emu.url}: ${LATENCY_MS} ms injected latency per list request (fault rule), its rate limit off (setup ${Math.round(setupMs)} ms)`,
            `client at its defaults: at most 250 requests in any sliding minute, ${DEFAULT_PAGE_CONCURRENCY} pages at once`,
            "",
            `${TAGS.toLocaleString("en-US")} tags in one repository, per_page=${PER_PAGE}: expected ceil(${TAGS}/${PER_PAGE}) = ${Math.ceil(TAGS / PER_PAGE)} requests; median of ${CONCURRENT_RUNS} concurrent and ${SEQUENTIAL_RUNS} sequential run(s); load average ${os
                .loadavg()
                .map((l) => l.toFixed(1))
                .join(" ")}`,
            row(["listing", "requests", "items", "wall time", "runs (ms)"], w),
            row(
                [
                    `concurrent (pageConcurrency ${DEFAULT_PAGE_CONCURRENCY})`,
                    conc[0]?.requests ?? 0,
                    conc[0]?.items ?? 0,
                    `${Math.round(concMs)} ms`,
                    conc.map((m) => Math.round(m.ms)).join(", "),
                ],
                w,
            ),
            row(
                [
                    `sequential (pageConcurrency 1)`,
                    seq[0]?.requests ?? 0,
                    seq[0]?.items ?? 0,
                    `${Math.round(seqMs)} ms`,
                    seq.map((m) => Math.round(m.ms)).join(", "),
                ],
                w,
            ),
            `CPU per concurrent listing (median): client ${Math.round(median(conc.map((m) => m.clientCpuMs)))} ms, emulator ${Math.round(median(conc.map((m) => m.emulatorCpuMs)))} ms (10 ms ticks), on ${os.cpus().length} cores`,
            `ratio sequential/concurrent: ${(seqMs / concMs).toFixed(2)}x, target >= ${RATIO_TARGET}x: ${seqMs / concMs >= RATIO_TARGET ? "met" : "NOT MET"} (floor of sequential: ${Math.ceil(TAGS / PER_PAGE)} x ${LATENCY_MS} ms = ${Math.ceil(TAGS / PER_PAGE) * LATENCY_MS} ms; of concurrent: 3 waves, ${3 * LATENCY_MS} ms)`,
            "",
            `${REPOSITORIES.toLocaleString("en-US")} repositories, repositoriesV2 with page_token (each page's token comes from the previous page, so one at a time):`,
            `  requests ${repos.requests} (expected ceil(${REPOSITORIES}/${PER_PAGE}) = ${Math.ceil(REPOSITORIES / PER_PAGE)}), items ${repos.items}, wall time ${Math.round(repos.ms)} ms`,
            "",
            problems.length === 0
                ? "OK: every listing returned each item exactly once in ceil(N/200) requests"
                : `FAILED:\n  ${problems.join("\n  ")}`,
        ];
        console.log(lines.join("\n"));
    } finally {
        await emu.stop();
    }
    if (problems.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
});
