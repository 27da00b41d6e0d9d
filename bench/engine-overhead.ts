/**
 * Engine overhead: median time per Create/Read/Diff through the real dynamic-provider host against
 * the emulator, for the real Registry provider as users install it (npm pack into a fresh program;
 * the host runs in that program's directory), for a bare dynamic provider making the same requests
 * with node:http, and for a trivial one (one GET answered 401), side by side in the same run and
 * the same host process, interleaved. Then the size of each resource's serialized `__provider` in
 * the three ways the package is loaded: npm pack, a `file:` link, and this repository's sources.
 *
 *   npx ts-node --transpile-only bench/engine-overhead.ts        (BENCH_ITERATIONS=40 by default)
 *   BENCH_HOST_CPU_PROF=/tmp/prof npx ts-node --transpile-only bench/engine-overhead.ts   (+ a CPU profile of the host)
 *
 * Targets: each operation at most 1.3x the bare same-requests provider; `__provider` at most 2 KB
 * (2,048 bytes) per resource in every mode.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { DocrClient } from "../provider/client";
import { limited } from "../provider/client/limiter";
import { bindResource, PROJECT_ROOT, serializeProvider, trivialHttpProvider, urn } from "../harness/engine";
import { installPackedPackage, linkedProgram, serializedAsInstalled } from "../harness/package";
import { KINDS, serializedProvider, startWorld, WORLD_TOKEN } from "../harness/world";
import { buildDistTolerant, machine, median, ms, table } from "./lib/report";

/** What the bare providers read of a Registry's inputs. */
interface BareInputs {
    name: string;
    region?: string;
    subscriptionTierSlug?: string;
}

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
const WARMUP = 5;
const RATIO_TARGET = 1.3;
const SIZE_TARGET = 2048;

/** The baseline: create = one GET (the helper's), read = one GET, diff = no request. */
function baselineProvider(url: string) {
    const base = trivialHttpProvider(url);
    return {
        create: base.create,
        async read(id: string, props: BareInputs) {
            await base.create({ name: id });
            return { id, props };
        },
        diff() {
            return Promise.resolve({ changes: false });
        },
    };
}

/**
 * A second baseline that makes the same exchanges as the Registry provider (POST /v2/registries,
 * GET /v2/registries, DELETE), with node:http and nothing else: the ratio against it is what the
 * provider itself (client, validation, retries, limiter) adds, with the server's work the same on
 * both sides. The token is read in the host at call time, like the real provider does.
 */
function sameRequestsProvider(baseUrl: string, sameResult: boolean) {
    const send = (method: string, path: string, body?: unknown) =>
        new Promise<string>((resolve, reject) => {
            const headers = {
                authorization: `Bearer ${process.env.DIGITALOCEAN_TOKEN}`,
                "content-type": "application/json",
            };
            const req = http.request(`${baseUrl}${path}`, { method, headers }, (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => (text += chunk));
                res.on("end", () => resolve(text));
            });
            req.on("error", reject);
            req.end(body === undefined ? undefined : JSON.stringify(body));
        });
    return {
        async create(inputs: BareInputs) {
            const text = await send("POST", "/v2/registries", {
                name: inputs.name,
                region: inputs.region,
                subscription_tier_slug: inputs.subscriptionTierSlug,
            });
            const { registry } = JSON.parse(text) as { registry: { name: string; region: string } };
            return { id: registry.name, outs: { ...inputs, region: registry.region } };
        },
        async read(id: string, props: BareInputs) {
            const text = await send("GET", "/v2/registries");
            if (!sameResult) return { id, props };
            // What the Registry's read returns: the refreshed state and the inputs it implies, which
            // the host converts and sends back too.
            const { registries } = JSON.parse(text) as { registries: { name: string; region: string }[] };
            const found = registries.find((r) => r.name === id);
            const inputs = {
                name: props.name,
                region: found?.region ?? props.region,
                subscriptionTierSlug: props.subscriptionTierSlug,
            };
            return { id, props: { ...props, ...inputs, serverUrl: `registry.digitalocean.com/${id}` }, inputs };
        },
        diff() {
            return Promise.resolve({ changes: false });
        },
        async delete(id: string) {
            await send("DELETE", `/v2/registries/${encodeURIComponent(id)}`);
        },
    };
}

/**
 * node writes a --cpu-prof profile when the process exits, and a SIGTERM (how the harness stops a
 * host) kills it first: the preload turns SIGTERM into an exit.
 */
function profileArgs(dir: string): string[] {
    fs.mkdirSync(dir, { recursive: true });
    const preload = path.join(dir, "exit-on-sigterm.cjs");
    fs.writeFileSync(preload, 'process.on("SIGTERM", () => process.exit(0));\n');
    return ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--require", preload];
}

async function time<T>(samples: number[], record: boolean, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await fn();
    if (record) samples.push(performance.now() - started);
    return result;
}

type Samples = { create: number[]; read: number[]; diff: number[] };

async function main(): Promise<void> {
    const started = Date.now();
    // The package as users install it: npm pack, unpacked into a fresh program's node_modules.
    buildDistTolerant(PROJECT_ROOT);
    const appDir = installPackedPackage();
    const profileDir = process.env.BENCH_HOST_CPU_PROF;
    const world = await (async () => {
        try {
            // The run makes ~180 Registry requests in well under a minute; at the default limit (250
            // starts in any sliding minute) a second run would wait for the window. This measures the
            // host and provider, not that wait, so the limit is lifted for the run.
            return await startWorld({
                callTimeoutMs: 120_000,
                hostCwd: appDir,
                hostEnv: { DOCR_MAX_REQUESTS_PER_MINUTE: "1000000", DIGITALOCEAN_TOKEN: WORLD_TOKEN },
                hostNodeArgs: profileDir ? profileArgs(profileDir) : undefined,
            });
        } catch (err) {
            fs.rmSync(appDir, { recursive: true, force: true });
            throw err;
        }
    })();
    const installedSamples: Samples = { create: [], read: [], diff: [] };
    const trivial: Samples = { create: [], read: [], diff: [] };
    const same: Samples = { create: [], read: [], diff: [] };
    const sameResult: Samples = { create: [], read: [], diff: [] };
    const sizes: Record<string, Record<string, string>> = {};
    try {
        sizes["npm pack"] = serializedAsInstalled(appDir);
        const linkDir = linkedProgram();
        try {
            sizes["file: link"] = serializedAsInstalled(linkDir);
        } finally {
            fs.rmSync(linkDir, { recursive: true, force: true });
        }
        const fromRepository: Record<string, string> = {};
        for (const kind of KINDS) fromRepository[kind] = await serializedProvider(kind);
        sizes["this repository"] = fromRepository;

        const installed = sizes["npm pack"];
        const trivialSerialized = await serializeProvider(
            baselineProvider(`${world.emulator.url}/v2/registries/options`),
        );
        const runRegistry = async (i: number, record: boolean) => {
            const reg = bindResource(
                world.host,
                installed.Registry,
                urn("pulumi-nodejs:dynamic/docr:Registry", `inst-${i}`),
            );
            const inputs = { name: `bench-inst-${i}`, region: "fra1", subscriptionTierSlug: "professional" };
            const created = await time(installedSamples.create, record, () => reg.create(inputs));
            await time(installedSamples.read, record, () => reg.read(created.id, created.properties));
            await time(installedSamples.diff, record, () => reg.diff(created.id, created.properties, inputs));
            await reg.delete(created.id, created.properties); // untimed: a team holds at most 10 registries
        };
        const sameSerialized = await serializeProvider(sameRequestsProvider(world.emulator.url, false));
        const sameResultSerialized = await serializeProvider(sameRequestsProvider(world.emulator.url, true));
        const runSame = async (serialized: string, samples: Samples, tag: string, i: number, record: boolean) => {
            const res = bindResource(
                world.host,
                serialized,
                urn("pulumi-nodejs:dynamic/bench:SameRequests", `${tag}-${i}`),
            );
            const inputs = { name: `bench-${tag}-${i}`, region: "fra1", subscriptionTierSlug: "professional" };
            const created = await time(samples.create, record, () => res.create(inputs));
            await time(samples.read, record, () => res.read(created.id, created.properties));
            await time(samples.diff, record, () => res.diff(created.id, created.properties, inputs));
            await res.delete(created.id, created.properties);
        };
        const runTrivial = async (i: number, record: boolean) => {
            const res = bindResource(
                world.host,
                trivialSerialized,
                urn("pulumi-nodejs:dynamic/bench:Trivial", `t-${i}`),
            );
            const created = await time(trivial.create, record, () => res.create({ name: `t-${i}` }));
            await time(trivial.read, record, () => res.read(created.id, created.properties));
            await time(trivial.diff, record, () => res.diff(created.id, created.properties, { name: `t-${i}` }));
        };
        for (let i = 0; i < WARMUP + ITERATIONS; i++) {
            const record = i >= WARMUP;
            const runs = [
                () => runRegistry(i, record),
                () => runTrivial(i, record),
                () => runSame(sameSerialized, same, "same", i, record),
                () => runSame(sameResultSerialized, sameResult, "shape", i, record),
            ];
            // Rotate who goes first, so drift in machine load (2 shared cores) hits all alike.
            for (let k = 0; k < runs.length; k++) await runs[(i + k) % runs.length]();
        }
        const leftover = world.emulator.snapshot().registries.length;
        if (leftover !== 0) throw new Error(`${leftover} registries left behind`);
    } finally {
        await world.stop();
        fs.rmSync(appDir, { recursive: true, force: true });
    }

    const rows = (["create", "read", "diff"] as const).map((op) => {
        const inst = median(installedSamples[op]);
        const t = median(trivial[op]);
        const sr = median(same[op]);
        const ss = median(sameResult[op]);
        return { op, inst, t, sr, ss, ratio: inst / t, sameRatio: inst / sr, shapeRatio: inst / ss };
    });
    console.log("# Engine overhead: median per operation through the dynamic-provider host\n");
    console.log(
        `machine: ${machine()}, load average ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")} at the end`,
    );
    console.log(
        `${ITERATIONS} iterations (+${WARMUP} warm-up) per provider, rotated, one host process (cwd: the installed program), emulator on 127.0.0.1\n`,
    );
    console.log(
        table(
            ["operation", "same requests, bare", "Registry as installed", "ratio", `target <= ${RATIO_TARGET}x`],
            rows.map((x) => [
                x.op,
                ms(x.sr),
                ms(x.inst),
                `${x.sameRatio.toFixed(2)}x`,
                x.sameRatio <= RATIO_TARGET ? "met" : "NOT MET",
            ]),
        ),
    );
    console.log(
        "\nAgainst the same requests returning the same result (its read also returns the refreshed inputs, as the Registry's does):\n",
    );
    console.log(
        table(
            ["operation", "same requests and result", "Registry as installed", "ratio"],
            rows.map((x) => [x.op, ms(x.ss), ms(x.inst), `${x.shapeRatio.toFixed(2)}x`]),
        ),
    );
    console.log(
        "\nAgainst a trivial provider (one GET answered 401 at once; the server does less than for a create):\n",
    );
    console.log(
        table(
            ["operation", "trivial provider", "Registry as installed", "ratio"],
            rows.map((x) => [x.op, ms(x.t), ms(x.inst), `${x.ratio.toFixed(2)}x`]),
        ),
    );
    console.log(
        "\nRegistry: create = POST /v2/registries, read = GET /v2/registries, diff = no request (node:http + zod + retry/limiter path).",
    );
    console.log(
        "Same requests, bare: the same exchanges with node:http and nothing else. Every call carries __provider (twice for diff).",
    );

    let over = 0;
    const modes = Object.keys(sizes);
    const sizeRows = KINDS.map((kind) => [
        kind,
        ...modes.map((mode) => {
            const text = sizes[mode][kind];
            if (text === undefined || Buffer.byteLength(text) > SIZE_TARGET) over++;
            return text === undefined ? "missing" : `${Buffer.byteLength(text)} B`;
        }),
    ]);
    console.log(`\n# Serialized __provider per resource (target <= ${SIZE_TARGET} bytes in every mode)\n`);
    console.log(table(["resource", ...modes], sizeRows));
    console.log(
        `\n${over === 0 ? "met" : "NOT MET"}: the few lines of provider/resources/serialized.ts; configure loads require("pulumi-docr/provider") in the host.`,
    );
    if (profileDir)
        console.log(
            `\nhost CPU profile: ${profileDir} (node --cpu-prof; open in Chrome DevTools or summarize by function)`,
        );
    await breakdown();
    console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (over > 0 || rows.some((x) => x.sameRatio > RATIO_TARGET)) console.log("Some targets are NOT MET (see above).");
}

/** Where a client call's time goes, in this process without the host: raw HTTP vs the client vs its limiter alone. */
async function breakdown(): Promise<void> {
    const emulator = await startEmulator({ rateLimitPerMinute: 0 });
    const saved = process.env.DOCR_MAX_REQUESTS_PER_MINUTE;
    process.env.DOCR_MAX_REQUESTS_PER_MINUTE = "1000000";
    try {
        emulator.seed({ subscriptionTier: "professional", registries: [{ name: "bench-breakdown", region: "fra1" }] });
        const client = new DocrClient({ token: emulator.token, apiUrl: emulator.url });
        const samples = { raw: [] as number[], client: [] as number[], limiter: [] as number[] };
        const rawGet = () =>
            new Promise<void>((resolve, reject) => {
                http.get(
                    `${emulator.url}/v2/registries`,
                    { headers: { Authorization: `Bearer ${emulator.token}` } },
                    (res) => {
                        res.resume();
                        res.on("end", () => resolve());
                    },
                ).on("error", reject);
            });
        for (let i = 0; i < 110; i++) {
            const record = i >= 10;
            await time(samples.raw, record, rawGet);
            await time(samples.client, record, () => client.listRegistries());
            await time(samples.limiter, record, () =>
                limited({ maxRequestsPerMinute: 1_000_000, maxConcurrentRequests: 8 }, () =>
                    Promise.resolve(undefined),
                ),
            );
        }
        console.log("\n# Where the time goes (in-process, no host; GET /v2/registries, medians of 100)\n");
        console.log(
            table(
                ["what", "median"],
                [
                    ["raw node:http GET", ms(median(samples.raw))],
                    ["DocrClient.listRegistries (limiter + node:http + zod)", ms(median(samples.client))],
                    ["the shared limiter alone (slot + rate window for a no-op)", ms(median(samples.limiter))],
                ],
            ),
        );
    } finally {
        if (saved === undefined) delete process.env.DOCR_MAX_REQUESTS_PER_MINUTE;
        else process.env.DOCR_MAX_REQUESTS_PER_MINUTE = saved;
        await emulator.stop();
    }
}

main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
});
