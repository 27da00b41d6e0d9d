/**
 * What the benchmarks print: the machine, medians, a text table; and the build they measure.
 *
 * Not a benchmark itself (bench/run-all.ts runs `bench/*.ts`; this folder holds helpers).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The machine the figures come from. */
export function machine(): string {
    let cpu = os.cpus()[0]?.model ?? "unknown CPU";
    try {
        const line = fs
            .readFileSync("/proc/cpuinfo", "utf8")
            .split("\n")
            .find((l) => l.startsWith("model name"));
        if (line) cpu = line.split(":")[1].trim();
    } catch {
        /* not Linux */
    }
    return `${os.cpus().length} CPU (${cpu}), Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function ms(value: number): string {
    return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

/** A fixed-width text table. */
export function table(header: string[], rows: (string | number)[][]): string {
    const all = [header, ...rows.map((r) => r.map(String))];
    const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
    const line = (r: string[]) =>
        r
            .map((c, i) => c.padEnd(widths[i]))
            .join("  ")
            .trimEnd();
    return [line(all[0]), line(widths.map((w) => "-".repeat(w))), ...all.slice(1).map(line)].join("\n");
}

/**
 * Builds `dist/` for `npm pack` (`npm run build`; this one also goes on past a type error
 * in the package, e.g. an unfinished change). tsc still emits on type
 * errors, so a failed check is reported and the run goes on when `dist/provider/index.js` is fresh.
 */
export function buildDistTolerant(root: string): void {
    try {
        execFileSync(
            process.execPath,
            [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.build.json")],
            { stdio: "pipe" },
        );
    } catch (err) {
        const out = String((err as { stdout?: Buffer }).stdout ?? "")
            .split("\n")
            .filter(Boolean)
            .slice(0, 3)
            .join("\n  ");
        const entry = path.join(root, "dist", "provider", "index.js");
        if (!fs.existsSync(entry) || Date.now() - fs.statSync(entry).mtimeMs > 60_000) throw err;
        console.error(`(tsc reported type errors elsewhere in the project; dist/ was emitted anyway)\n  ${out}`);
    }
}
