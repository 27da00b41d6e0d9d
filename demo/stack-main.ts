/**
 * One stack's scenario in its own process (the Pulumi runtime is per process, like a real
 * `pulumi up`): `stack-main.ts <stack> <key>=<value> <update|replace>`. Exit code 0 on success.
 */
import { Printer } from "./format";
import { runScenario } from "./scenario";

const [stack, assignment, expect] = process.argv.slice(2);
const [key, value] = (assignment ?? "").split("=");
if (!stack || !key || !value || (expect !== "update" && expect !== "replace")) {
    process.stderr.write("usage: stack-main.ts <stack> <key>=<value> <update|replace>\n");
    process.exit(2);
}

runScenario(stack, { key, value, expect }, new Printer()).then(
    () => process.exit(0),
    (err: unknown) => {
        process.stdout.write(`\n${stack}: FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
