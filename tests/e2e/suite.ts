/** Mocha hooks shared by the end-to-end files: one workspace per file, skipped without a CLI. */
import { findCli, HOW_TO_GET_THE_CLI, PulumiWorkspace } from "./cli";
import type { EmulatorProcess } from "./emulator-process";

/** Long enough for `npm install` of a program plus a few `pulumi up`s on a 2-core machine. */
export const E2E_TIMEOUT_MS = 600_000;

/**
 * Registers `before`/`after` for a describe block that needs the real Pulumi CLI. Without one the
 * block is skipped (not failed: `npm test` runs on machines without Go), saying how to get it.
 * Emulators registered with `track` are stopped at the end.
 */
export function useWorkspace(): { workspace: () => PulumiWorkspace; track: (e: EmulatorProcess) => EmulatorProcess } {
    let workspace: PulumiWorkspace | undefined;
    const emulators: EmulatorProcess[] = [];
    before(function () {
        const cli = findCli();
        if (!cli) {
            // Skipped with its reason: the suite needs the Pulumi CLI, which CI builds (.ci/run).
            console.log(`    (skipped: no Pulumi CLI found; ${HOW_TO_GET_THE_CLI})`);
            this.skip();
        }
        workspace = new PulumiWorkspace(cli);
    });
    after(async function () {
        await Promise.all(emulators.map((e) => e.stop()));
        if (process.env.DOCR_E2E_KEEP) console.log(`    (kept ${workspace?.root})`);
        else workspace?.remove();
    });
    return {
        workspace: () => workspace!,
        track: (e) => {
            emulators.push(e);
            return e;
        },
    };
}
