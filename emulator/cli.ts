#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { validateFaultRules } from "./faults";
import { startEmulator, type EmulatorOptions } from "./index";
import { StateFileError } from "./state-file";

const USAGE = `Usage: docr-emulator [options]   (in this repository: npm run emulator -- [options])
  --port N          port on 127.0.0.1 (default 0: a free port)
  --token T         bearer token to accept (default: the one kept in --state, else random)
  --state FILE      load state (and the token) from FILE if present, persist every change to it
  --fixture FILE    JSON fixture to seed (example: emulator/examples/fixture.json in this package);
                    with --state, only when that file does not exist yet (a restart resumes it)
  --seed N          deterministic ids and fault rates
  --faults FILE     JSON array of fault rules, or {"faults": [...]} (example: emulator/examples/faults.json)
  --rate-limit N    requests per minute (default 250; 0 disables, the hour too unless --rate-limit-hour is given)
  --rate-limit-hour N  requests per hour, the quota the ratelimit-* headers report (default 5000; 0 disables)
  --minute-window-ms N  length of the "minute" window (default 60000; shorter for tests)
  --hour-window-ms N    length of the "hour" window (default 3600000; shorter for tests)
  --gc-step-ms N    duration of each garbage-collection stage (default 200)
Prints "DIGITALOCEAN_API_URL=... DIGITALOCEAN_TOKEN=..." on stdout once listening, and its PID on
stderr; stops on SIGINT or SIGTERM.`;

function int(name: string, raw: string | undefined): number | undefined {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
    return n;
}

function readFaults(path: string): EmulatorOptions["faults"] {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    const rules = Array.isArray(parsed) ? parsed : (parsed as { faults?: unknown }).faults;
    return validateFaultRules(rules ?? []);
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            port: { type: "string" },
            token: { type: "string" },
            state: { type: "string" },
            fixture: { type: "string" },
            seed: { type: "string" },
            faults: { type: "string" },
            "rate-limit": { type: "string" },
            "rate-limit-hour": { type: "string" },
            "minute-window-ms": { type: "string" },
            "hour-window-ms": { type: "string" },
            "gc-step-ms": { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return;
    }
    const options: EmulatorOptions = {};
    const port = int("port", values.port);
    if (port !== undefined) options.port = port;
    if (values.token) options.token = values.token;
    if (values.state) options.statePath = values.state;
    if (values.fixture) options.fixture = values.fixture;
    const seed = int("seed", values.seed);
    if (seed !== undefined) options.seed = seed;
    if (values.faults) options.faults = readFaults(values.faults);
    const rate = int("rate-limit", values["rate-limit"]);
    if (rate !== undefined) options.rateLimitPerMinute = rate;
    const hourly = int("rate-limit-hour", values["rate-limit-hour"]);
    if (hourly !== undefined) options.rateLimitPerHour = hourly;
    const minuteMs = int("minute-window-ms", values["minute-window-ms"]);
    if (minuteMs) options.minuteWindowMs = minuteMs;
    const hourMs = int("hour-window-ms", values["hour-window-ms"]);
    if (hourMs) options.hourWindowMs = hourMs;
    const step = int("gc-step-ms", values["gc-step-ms"]);
    if (step !== undefined) options.gcStepMs = step;

    const emulator = await startEmulator(options);
    process.stdout.write(`DIGITALOCEAN_API_URL=${emulator.url} DIGITALOCEAN_TOKEN=${emulator.token}\n`);
    process.stderr.write(
        `DOCR emulator listening on ${emulator.url}, pid ${process.pid} (Ctrl-C or kill ${process.pid} to stop)\n`,
    );
    let stopping = false;
    const shutdown = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`${signal}: stopping DOCR emulator\n`);
        emulator.stop().then(
            () => process.exit(0),
            () => process.exit(1),
        );
    };
    process.on("SIGINT", () => shutdown("SIGINT"));
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    // `kill <pid of npm run emulator>` stops npm without passing the signal on: the server would
    // keep its port. Once the process that started it is gone, it stops too.
    const parent = process.ppid;
    setInterval(() => {
        if (process.ppid !== parent) shutdown("parent process exited");
    }, 500).unref();
}

main().catch((err: unknown) => {
    const e = err as NodeJS.ErrnoException;
    // A port in use or a bad file is not a usage mistake: say what happened, not the whole usage.
    const usage =
        e.code === undefined && !(err instanceof SyntaxError) && !(err instanceof StateFileError) ? `\n${USAGE}` : "";
    process.stderr.write(`docr-emulator: ${err instanceof Error ? err.message : String(err)}${usage}\n`);
    process.exit(2);
});
