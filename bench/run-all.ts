/**
 * Runs every benchmark script `bench/*.ts` (not this file, not helpers in subfolders), one after
 * the other, each in its own process, and exits 1 if any of them failed.
 *
 *   npm run bench                 every benchmark
 *   npm run bench -- pagination   only those whose file name contains "pagination"
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

const here = __dirname;
const filters = process.argv.slice(2);
const scripts = readdirSync(here, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && e.name !== basename(__filename))
    .map((e) => e.name)
    .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
    .sort();

if (scripts.length === 0) {
    console.error(`no benchmark in ${here}${filters.length ? ` matching ${filters.join(", ")}` : ""}`);
    process.exit(1);
}

const tsNode = require.resolve("ts-node/dist/bin.js");
const results: { script: string; status: string; seconds: number }[] = [];
for (const script of scripts) {
    console.log(`\n=== bench/${script} ===`);
    const started = Date.now();
    const run = spawnSync(process.execPath, [tsNode, "--transpile-only", join(here, script)], {
        stdio: "inherit",
        cwd: join(here, ".."),
    });
    const status = run.error
        ? `error: ${run.error.message}`
        : run.signal
          ? `killed by ${run.signal}`
          : run.status === 0
            ? "ok"
            : `exit ${run.status}`;
    results.push({ script, status, seconds: (Date.now() - started) / 1000 });
}

console.log("\n=== summary ===");
for (const r of results)
    console.log(
        `${r.status === "ok" ? "ok  " : "FAIL"}  bench/${r.script}  (${r.seconds.toFixed(1)} s)${r.status === "ok" ? "" : `  ${r.status}`}`,
    );
if (results.some((r) => r.status !== "ok")) process.exitCode = 1;
