/**
 * The Node.js the end-to-end suite runs the CLI on (and with it the language host, the program and
 * the dynamic-provider host): DOCR_E2E_NODE, a bin folder printed by `bash tools/node/install.sh`,
 * put first on the CLI's PATH; without it, the `node` on this process's PATH.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export interface NodeUnderTest {
    /** The folder to put first on PATH; undefined: PATH as it is. */
    binDir: string | undefined;
    /** `node --version` of that Node, e.g. `v24.22.3`. */
    version: string;
}

let found: NodeUnderTest | undefined;

export function nodeUnderTest(): NodeUnderTest {
    if (found) return found;
    const binDir = process.env.DOCR_E2E_NODE || undefined;
    const node = binDir ? path.join(binDir, "node") : "node";
    found = { binDir, version: execFileSync(node, ["--version"], { encoding: "utf8" }).trim() };
    return found;
}
