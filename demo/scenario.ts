/**
 * The life of one stack of examples/multi-env, as `pulumi` would run it, against a fresh embedded
 * emulator (its own DigitalOcean "team", with a generated token):
 *
 *   pulumi up                    # preview (check, diff), then create
 *   pulumi config set <k> <v>    # a change: a tier change updates in place, a region change replaces
 *   pulumi up
 *   pulumi destroy               # and the emulator holds nothing any more
 *
 * Each step is checked against the emulator's state; any mismatch or error throws.
 */
import * as path from "node:path";
import { startEmulator } from "../emulator";
import type { EmulatorState, FaultRule } from "../emulator";
import { Stack, type Step } from "./engine";
import { type Printer } from "./format";
import { aliasPackage } from "./program";

export const ROOT = path.resolve(__dirname, "..");
export const PROGRAM = path.join(ROOT, "examples", "multi-env");
const RESOURCES = ["registry", "cluster-pull", "ci-push"];

export interface Change {
    /** Project config key, e.g. `tier` or `region`. */
    key: string;
    value: string;
    /** What the change must do: `update` (the registry in place) or `replace` (the registry and its credentials). */
    expect: "update" | "replace";
}

export class ScenarioFailure extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ScenarioFailure";
        this.message = message;
    }
}

function expectSteps(steps: Step[], op: Step["op"], names: string[], where: string): void {
    const got = steps
        .filter((s) => s.op !== "same" && s.op !== "delete")
        .map((s) => `${s.op} ${s.name}`)
        .sort();
    const want = names.map((n) => `${op} ${n}`).sort();
    if (got.join() !== want.join())
        throw new ScenarioFailure(`${where}: expected ${want.join(", ")}; got ${got.join(", ") || "nothing"}`);
}

function check(condition: boolean, message: string): void {
    if (!condition) throw new ScenarioFailure(`emulator check failed: ${message}`);
}

export interface ScenarioOptions {
    /** The emulator's token; default: generated. (Tests pass one to check that it is never printed.) */
    token?: string;
    /** Fault rules for the emulator (tests use them to check that a failure fails the demo). */
    faults?: FaultRule[];
}

/** Runs the scenario; returns the emulator's final state. */
export async function runScenario(
    stackName: string,
    change: Change,
    print: Printer,
    options: ScenarioOptions = {},
): Promise<EmulatorState> {
    // The example imports "pulumi-docr"; here that is this checkout's provider/ (what `npm install` links).
    aliasPackage("pulumi-docr", path.join(ROOT, "provider", "index.ts"));
    const emulator = await startEmulator({
        ...(options.token ? { token: options.token } : {}),
        faults: options.faults ?? [],
    });
    try {
        const stack = new Stack({
            programDir: PROGRAM,
            stack: stackName,
            apiUrl: emulator.url,
            token: emulator.token,
            print,
        });
        const registries = () => emulator.snapshot().registries.map((r) => `${r.name} in ${r.region}`);
        const tier = () => emulator.snapshot().subscription?.tier ?? "none";
        print.line(
            `== stack ${stackName}: its own team, emulator at ${emulator.url} (generated token, given as stack config digitalocean:token)`,
        );

        print.line("");
        print.line(`$ pulumi up --stack ${stackName}`);
        const first = await stack.up();
        expectSteps(first.plan, "create", RESOURCES, "preview");
        expectSteps(first.applied, "create", RESOURCES, "update");
        const creds = emulator.credentials();
        print.line(
            `  emulator: ${registries().join(", ")}; tier ${tier()}; ${creds.length} credentials issued ` +
                `(${creds.filter((c) => !c.readWrite).length} read-only, ${creds.filter((c) => c.readWrite).length} push)`,
        );
        check(registries().length === 1 && creds.length === 2, "one registry and two credentials");

        print.line("");
        const before = stack.setConfig(change.key, change.value);
        const effect = change.expect === "update" ? "in place" : "replaces the registry";
        print.line(
            `$ pulumi config set ${change.key} ${change.value} --stack ${stackName}    # was ${before}: ${effect}`,
        );
        print.line(`$ pulumi up --stack ${stackName}`);
        const second = await stack.up();
        const changed = change.expect === "update" ? ["registry"] : RESOURCES;
        expectSteps(second.plan, change.expect, changed, "preview after the change");
        expectSteps(second.applied, change.expect, changed, "update after the change");
        print.line(`  emulator: ${registries().join(", ")}; tier ${tier()}`);
        const registry = emulator.snapshot().registries[0];
        if (change.key === "region") check(registry?.region === change.value, `the registry lives in ${change.value}`);
        if (change.key === "tier") check(tier() === change.value, `the team's tier is ${change.value}`);

        print.line("");
        print.line(`$ pulumi destroy --stack ${stackName}`);
        const deleted = await stack.destroy();
        check(deleted.length === RESOURCES.length, `${RESOURCES.length} resources deleted`);
        const left = emulator.snapshot().registries.length;
        print.line(`  emulator: ${left} registries left`);
        check(left === 0, "no registry left");
        return emulator.snapshot();
    } finally {
        await emulator.stop();
    }
}
