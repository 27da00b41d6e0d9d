/**
 * Peak requests per minute: does the client's process-wide limiter keep a burst under the API's
 * 250 requests a minute? Measured at the emulator (arrival times of requests), not in the client.
 *
 *   npx ts-node --transpile-only bench/rate-limit.ts
 *
 * What is measured, honestly:
 * 1. Full scale: the real DocrClient at its default limit (250/min), a burst of 40 calls from 3
 *    clients in one process, against an emulator that enforces 250/min: wall time, 429s, gaps.
 *    A whole 60 s window at full scale is not run (a burst past 250 would take over a minute).
 * 2. Scaled in time: the same limiter (`limited()`, 250 per window) with a 1.2 s window, 600 tasks
 *    at once, each one real GET to the emulator: the peak number of starts (client side) and of
 *    arrivals (emulator side) in any sliding window, against 250. Needs a limiter with a window
 *    setting; with a start-spacing limiter the bound is computed from the observed gaps instead.
 */
import * as http from "node:http";
import { startEmulator, type RequestRecord } from "../emulator";
import { DocrClient } from "../provider/client";
import { limited, type LimiterSettings } from "../provider/client/limiter";
import { machine, table } from "./lib/report";

function arrivals(requests: RequestRecord[]): number[] {
    return requests.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
}

/** Largest number of arrivals in any half-open window [t, t + windowMs). */
function peakInWindow(times: number[], windowMs: number): number {
    let peak = 0;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
        while (times[hi] - times[lo] >= windowMs) lo++;
        peak = Math.max(peak, hi - lo + 1);
    }
    return peak;
}

function gaps(times: number[]): number[] {
    return times.slice(1).map((t, i) => t - times[i]);
}

async function burst(limitPerMinute: number | undefined, calls: number, emulatorLimit: number) {
    const saved = process.env.DOCR_MAX_REQUESTS_PER_MINUTE;
    if (limitPerMinute === undefined) delete process.env.DOCR_MAX_REQUESTS_PER_MINUTE;
    else process.env.DOCR_MAX_REQUESTS_PER_MINUTE = String(limitPerMinute);
    const emulator = await startEmulator({ rateLimitPerMinute: emulatorLimit });
    try {
        emulator.seed({ subscriptionTier: "professional", registries: [{ name: "bench-rate", region: "fra1" }] });
        emulator.clearRequests();
        // Three clients, as three resources of one `pulumi up` would have: the limiter is process-wide.
        const clients = [0, 1, 2].map(() => new DocrClient({ token: emulator.token, apiUrl: emulator.url }));
        const started = performance.now();
        await Promise.all(Array.from({ length: calls }, (_, i) => clients[i % 3].getRegistry("bench-rate")));
        const seconds = (performance.now() - started) / 1000;
        const requests = emulator.requests();
        return {
            times: arrivals(requests),
            seconds,
            rejected: requests.filter((r) => r.status === 429).length,
            total: requests.length,
        };
    } finally {
        if (saved === undefined) delete process.env.DOCR_MAX_REQUESTS_PER_MINUTE;
        else process.env.DOCR_MAX_REQUESTS_PER_MINUTE = saved;
        await emulator.stop();
    }
}

/** `limited()` with a shortened window, when the limiter supports one (`windowMs`, sliding window). */
function scaledSettings(windowMs: number): LimiterSettings {
    return { maxRequestsPerMinute: 250, maxConcurrentRequests: 16, windowMs };
}

/** Does the limiter take a window (sliding-window limiter) rather than spacing starts by 60 s / limit? */
async function limiterHonoursWindow(): Promise<boolean> {
    const starts: number[] = [];
    await Promise.all(
        Array.from({ length: 5 }, () =>
            limited(scaledSettings(997), () => Promise.resolve(void starts.push(Date.now()))),
        ),
    );
    return Math.max(...starts) - Math.min(...starts) < 200;
}

function rawGet(url: string, token: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
        http.get(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
            res.resume();
            res.on("end", () => resolve());
        }).on("error", reject);
    });
}

async function main(): Promise<void> {
    console.log("# Peak requests per minute under a burst (client's process-wide limiter, measured at the emulator)\n");
    console.log(`machine: ${machine()}\n`);

    // 1. Full scale, the real client at its default limit.
    const full = await burst(undefined, 40, 250);
    const g = gaps(full.times);
    console.log("## default limit (250/min), 40 calls at once from 3 DocrClients, emulator enforcing 250/min\n");
    console.log(
        table(
            ["calls", "requests seen", "429s", "wall time", "arrival gap min / mean"],
            [
                [
                    40,
                    full.total,
                    full.rejected,
                    `${full.seconds.toFixed(2)} s`,
                    `${Math.min(...g)} / ${(g.reduce((a, b) => a + b, 0) / g.length).toFixed(1)} ms`,
                ],
            ],
        ),
    );

    // 2. The limiter's schedule over whole windows, scaled down in time.
    const windowMs = 1200;
    if (await limiterHonoursWindow()) {
        const emulator = await startEmulator({ rateLimitPerMinute: 0 });
        try {
            const url = `${emulator.url}/v2/registries`;
            const starts: number[] = [];
            const began = performance.now();
            await Promise.all(
                Array.from({ length: 600 }, () =>
                    limited(scaledSettings(windowMs), async () => {
                        starts.push(Date.now());
                        await rawGet(url, emulator.token);
                    }),
                ),
            );
            const seconds = (performance.now() - began) / 1000;
            const arrived = arrivals(emulator.requests());
            const clientPeak = peakInWindow(
                [...starts].sort((a, b) => a - b),
                windowMs,
            );
            const serverPeak = peakInWindow(arrived, windowMs);
            console.log(
                `\n## scaled: the same limiter (250 per window) with a ${windowMs} ms window (1/50 min), 600 tasks at once, each one GET\n`,
            );
            console.log(
                table(
                    [
                        "tasks",
                        "wall time",
                        "peak starts in any window (client)",
                        "peak arrivals in any window (emulator)",
                        "limit",
                    ],
                    [[600, `${seconds.toFixed(2)} s`, clientPeak, serverPeak, 250]],
                ),
            );
            console.log(
                `\nAt full scale (60 s window) that is: a burst of up to 250 goes out at once, the rest waits for the window;`,
            );
            console.log(
                `peak in any 60 s window: ${clientPeak} started by the client, ${serverPeak} seen by the server (limit 250).`,
            );
            if (serverPeak > clientPeak)
                console.log(
                    "The server sees more than the client started because arrivals jitter by a few ms relative to the recorded starts.",
                );
        } finally {
            await emulator.stop();
        }
    } else {
        const spacing = Math.min(...g);
        console.log(
            `\nThe limiter spaces starts (no window setting): at ${spacing}+ ms between arrivals no 60 s window holds more than ${Math.ceil(60_000 / spacing)}.`,
        );
    }
    console.log("\nNot covered: several processes (parallel CI jobs) share the team's limit but not this limiter.");
}

main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
});
