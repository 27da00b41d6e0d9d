/**
 * One stack's scenario in its own process (the Pulumi runtime is per process, like a real
 * `pulumi up`): `stack-main.ts <stack> <key>=<value> <update|replace>`. Exit code 0 on success.
 *
 * Test hooks (environment): DOCR_DEMO_TOKEN (the emulator's token instead of a generated one),
 * DOCR_DEMO_FAULTS (JSON array of emulator fault rules), DOCR_DEMO_REPORT (write the emulator's
 * final state to `<value>.<stack>.json`).
 */
import { writeFileSync } from "node:fs";
import type { FaultRule } from "../emulator";
import { Printer } from "./format";
import { runScenario } from "./scenario";

const [stack, assignment, expect] = process.argv.slice(2);
const [key, value] = (assignment ?? "").split("=");
if (!stack || !key || !value || (expect !== "update" && expect !== "replace")) {
    process.stderr.write("usage: stack-main.ts <stack> <key>=<value> <update|replace>\n");
    process.exit(2);
}

const faults = process.env.DOCR_DEMO_FAULTS ? (JSON.parse(process.env.DOCR_DEMO_FAULTS) as FaultRule[]) : undefined;
const report = process.env.DOCR_DEMO_REPORT;

runScenario(stack, { key, value, expect }, new Printer(), { token: process.env.DOCR_DEMO_TOKEN, faults }).then(
    (state) => {
        if (report) writeFileSync(`${report}.${stack}.json`, JSON.stringify(state));
        process.exit(0);
    },
    (err: unknown) => {
        process.stdout.write(`\n${stack}: FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
