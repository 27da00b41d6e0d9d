/**
 * The dynamic-provider host after the engine is gone. Pulumi starts plugins in process groups of
 * their own, so a SIGKILL of the CLI's group leaves the host running as an orphan whose stdout and
 * stderr are closed pipes. A write there fails with EPIPE, emitted as an `error` event; with no
 * listener it becomes an uncaught exception, which the host's handler prints to the same closed
 * stderr: a new EPIPE, and so on, at a core's worth of CPU (pulumi-docr writes its progress through
 * `pulumi.log`, which in the host is `console`). So this package's code, once loaded in a host:
 *
 * - listens for errors on stdout and stderr: the first one means nobody reads them any more, and
 *   the host exits instead of writing again;
 * - watches stdin, which the engine holds open as a pipe for as long as it lives (`cmd.StdinPipe()`
 *   of Pulumi's plugin launcher) and never writes to: its end means the engine is gone, and the host
 *   exits. An interrupted create leaves its journal entry (journal.ts) for the next `pulumi up`.
 *
 * Only a pipe is watched: a host started by a test with stdin on /dev/null is left alone.
 */
import * as fs from "node:fs";

/** Why the host is exiting, for tests that start a host by hand (the engine never sees it). */
export const ENGINE_GONE_EXIT_CODE = 3;

let watching = false;

/** Installs the watch once per process; later calls do nothing. */
export function watchEngine(exit: (code: number) => void = (code) => process.exit(code)): void {
    if (watching) return;
    watching = true;
    const gone = (): void => exit(ENGINE_GONE_EXIT_CODE);
    process.stdout.on("error", gone);
    process.stderr.on("error", gone);
    if (!stdinIsPipe()) return;
    const stdin = process.stdin;
    stdin.on("end", gone);
    stdin.on("close", gone);
    stdin.on("error", gone);
    // Nothing is ever written to it; reading only lets the end arrive. It never keeps the host alive.
    stdin.on("data", () => undefined);
    stdin.resume();
    if ("unref" in stdin && typeof stdin.unref === "function") stdin.unref();
}

function stdinIsPipe(): boolean {
    try {
        const stat = fs.fstatSync(0);
        return stat.isFIFO() || stat.isSocket();
    } catch {
        return false;
    }
}
