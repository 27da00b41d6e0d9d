/**
 * `npm test`: the unit suite on this machine's Node, then the end-to-end suite (tests/e2e) once per
 * Node that users run (tools/node/install.sh), each with that Node first on the CLI's PATH. Each run
 * is its own mocha process; with DOCR_TEST_RESULTS set, the counts of all runs are added up there,
 * so .ci/run's "N passed, N failed" covers every run.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findCli } from "../../tools/pulumi-cli/locate";

const ROOT = path.resolve(__dirname, "..", "..");
const MOCHA = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");

interface Counts {
    passes: number;
    failures: number;
    pending: number;
    tests: number;
}

const total: Counts = { passes: 0, failures: 0, pending: 0, tests: 0 };
const parts = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-results-"));
let runs = 0;

/**
 * One mocha run; a run that wrote no results (it crashed) counts as one failure. With `buffered`, its
 * output is printed whole when it ends, so that runs going on at the same time do not interleave.
 */
function mocha(label: string, args: string[], env: NodeJS.ProcessEnv = {}, buffered = false): Promise<void> {
    const results = path.join(parts, `${++runs}.json`);
    if (!buffered) console.log(`\n=== ${label} ===`);
    const run = spawn(process.execPath, [MOCHA, ...args], {
        cwd: ROOT,
        stdio: buffered ? ["ignore", "pipe", "pipe"] : "inherit",
        env: { ...process.env, ...env, DOCR_TEST_RESULTS: results },
    });
    const output: Buffer[] = [];
    run.stdout?.on("data", (d: Buffer) => output.push(d));
    run.stderr?.on("data", (d: Buffer) => output.push(d));
    return new Promise((resolve) => {
        run.on("close", (status) => {
            if (buffered) process.stdout.write(`\n=== ${label} ===\n${Buffer.concat(output).toString()}`);
            const counts = fs.existsSync(results)
                ? (JSON.parse(fs.readFileSync(results, "utf8")) as Counts)
                : { passes: 0, failures: 1, pending: 0, tests: 1 };
            if (status !== 0 && counts.failures === 0) counts.failures = 1;
            for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += counts[key];
            resolve();
        });
    });
}

/** The bin folders of the Nodes the e2e suite runs on, installed (from the npm registry) when missing. */
function e2eNodes(): string[] {
    return execFileSync("bash", [path.join(ROOT, "tools", "node", "install.sh")], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    })
        .trim()
        .split("\n");
}

async function main(): Promise<void> {
    await mocha(`unit suite on Node ${process.versions.node}`, []);
    if (findCli()) {
        // The e2e suite spends most of its time waiting on the CLI, the hosts and the emulators'
        // latencies: the Nodes' runs go on side by side, which halves CI's time on two cores.
        await Promise.all(
            e2eNodes().map((bin) => {
                const version = execFileSync(path.join(bin, "node"), ["--version"], { encoding: "utf8" }).trim();
                console.log(`\n=== e2e suite on Node ${version}: started (its output follows when it ends) ===`);
                return mocha(
                    `e2e suite on Node ${version}`,
                    ["--config", "tests/e2e/.mocharc.json"],
                    { DOCR_E2E_NODE: bin },
                    true,
                );
            }),
        );
    } else {
        // Without a CLI the e2e suite skips itself, saying how to get one: run it once for that message.
        await mocha("e2e suite (no Pulumi CLI)", ["--config", "tests/e2e/.mocharc.json"]);
    }
    console.log(`\nall runs: ${total.passes} passing, ${total.failures} failing, ${total.pending} pending`);
    if (process.env.DOCR_TEST_RESULTS) fs.writeFileSync(process.env.DOCR_TEST_RESULTS, JSON.stringify(total));
    fs.rmSync(parts, { recursive: true, force: true });
    process.exit(total.failures > 0 ? 1 : 0);
}

void main();
