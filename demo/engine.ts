/**
 * A small stand-in for the Pulumi engine, enough for `pulumi up` and `pulumi destroy` of one
 * stack: it keeps the stack's state in memory, runs the program (demo/program.ts) and drives each
 * resource through the REAL dynamic-provider host of `@pulumi/pulumi` over gRPC
 * (harness/engine/): Check, Diff, Create, Update, Delete, with `__provider` as the
 * program serialized it.
 *
 * Like the engine, `up` previews first (a program run with `preview: true`: Check and Diff only)
 * and then updates (a second run that applies each step as its resource registers, so outputs
 * such as the registry's name reach the credentials from the created registry). A replacement
 * that must delete first (a registry: names are global) also replaces the resources that depend
 * on the replaced properties, as the engine's dependent-replacement check does. One host process
 * serves one operation, as with the CLI.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_KEY, type ProviderHost, UNKNOWN, isSecret, secret, startProviderHost } from "../harness/engine";
import { type Registration, type RegistrationResult, readProject, runProgram } from "./program";
import { describeInputs, describeValue, isInternalKey, shortType, type Printer } from "./format";
import type { Step, StepOp } from "./step";

/** One resource in the stack's state. */
export interface ResourceState {
    urn: string;
    type: string;
    name: string;
    id: string;
    /** Checked inputs (with `__provider`), as the engine stores them. */
    inputs: Record<string, unknown>;
    /** Outputs (with `__provider`). */
    outputs: Record<string, unknown>;
    propertyDependencies: Record<string, string[]>;
    additionalSecretOutputs: string[];
}

export type { Step, StepOp } from "./step";

export interface StackOptions {
    /** The program directory (with Pulumi.yaml and Pulumi.<stack>.yaml). */
    programDir: string;
    stack: string;
    /** Where the API is and the token to use: stack config `digitalocean:apiUrl` / `digitalocean:token`. */
    apiUrl: string;
    token: string;
    /** Where this stack's lines go (the demo buffers them to run stacks in parallel). */
    print: Printer;
}

const TOKEN_KEY = "digitalocean:token";
const URL_KEY = "digitalocean:apiUrl";

export class Stack {
    readonly project: string;
    readonly config: Record<string, string>;
    resources: ResourceState[] = [];
    outputs: Record<string, unknown> = {};

    constructor(private readonly opts: StackOptions) {
        const { project, config } = readProject(opts.programDir, opts.stack);
        this.project = project;
        this.config = config;
    }

    get name(): string {
        return this.opts.stack;
    }

    /** Redirects this stack's output. */
    set printer(print: Printer) {
        this.opts.print = print;
    }

    /** `pulumi config set <key> <value>` (project namespace). */
    setConfig(key: string, value: string): string | undefined {
        const full = key.includes(":") ? key : `${this.project}:${key}`;
        const before = this.config[full];
        this.config[full] = value;
        return before;
    }

    /** `pulumi up`: preview, print the plan, then apply it. Returns the planned and the applied steps. */
    async up(): Promise<{ plan: Step[]; applied: Step[] }> {
        const host = await this.startHost();
        try {
            const plan = await this.preview(host);
            if (plan.every((s) => s.op === "same")) {
                this.opts.print.line("  no changes");
                return { plan, applied: [] };
            }
            const applied = await this.update(host);
            return { plan, applied };
        } finally {
            await host.stop();
        }
    }

    /** `pulumi destroy`: deletes every resource, dependents first. */
    async destroy(): Promise<Step[]> {
        const host = await this.startHost();
        const p = this.opts.print;
        const steps: Step[] = [];
        try {
            p.line(`Destroying (${this.name}):`);
            for (const r of [...this.resources].reverse()) {
                const step: Step = {
                    op: "delete",
                    urn: r.urn,
                    type: shortType(r.type),
                    name: r.name,
                    detail: `id ${r.id}`,
                };
                await p.timed(step, () => host.delete(r.id, r.urn, r.outputs));
                this.resources = this.resources.filter((x) => x !== r);
                steps.push(step);
            }
            this.outputs = {};
            p.summary(steps);
            return steps;
        } finally {
            await host.stop();
        }
    }

    private async startHost(): Promise<ProviderHost> {
        // The engine starts a host per operation and sends it the stack's config; the token travels
        // secret-wrapped in Configure, never in the environment, arguments or state.
        const host = await startProviderHost();
        await host.configure({ [TOKEN_KEY]: secret(this.opts.token), [URL_KEY]: this.opts.apiUrl });
        return host;
    }

    private programConfig(): { config: Record<string, string>; secretKeys: string[] } {
        // Data sources run in the program process and read the same two config keys.
        return {
            config: { ...this.config, [TOKEN_KEY]: this.opts.token, [URL_KEY]: this.opts.apiUrl },
            secretKeys: [TOKEN_KEY],
        };
    }

    private async run(
        preview: boolean,
        register: (r: Registration) => Promise<RegistrationResult>,
    ): Promise<Record<string, unknown>> {
        const { config, secretKeys } = this.programConfig();
        const { outputs } = await runProgram({
            programDir: this.opts.programDir,
            project: this.project,
            stack: this.name,
            preview,
            config,
            secretKeys,
            register,
        });
        return outputs;
    }

    private find(urn: string): ResourceState | undefined {
        return this.resources.find((r) => r.urn === urn);
    }

    private async check(
        host: ProviderHost,
        reg: Registration,
        olds: Record<string, unknown>,
    ): Promise<Record<string, unknown>> {
        const { inputs, failures } = await host.check(reg.urn, olds, reg.inputs);
        if (failures.length > 0) {
            throw new Error(`${shortType(reg.type)} ${reg.name}: ${failures.map((f) => f.reason).join("; ")}`);
        }
        return inputs;
    }

    /**
     * The engine's dependent-replacement check: for a delete-before-replace of `urn`, each resource
     * whose inputs depend on it is diffed with those inputs unknown; if that diff replaces, the
     * dependent is replaced too (deleted before, created after).
     */
    private async dependentsToReplace(
        host: ProviderHost,
        urn: string,
    ): Promise<{ resource: ResourceState; keys: string[] }[]> {
        const found: { resource: ResourceState; keys: string[] }[] = [];
        for (const r of this.resources) {
            const keys = Object.entries(r.propertyDependencies)
                .filter(([, urns]) => urns.includes(urn))
                .map(([k]) => k);
            if (keys.length === 0) continue;
            const news = { ...r.inputs, ...Object.fromEntries(keys.map((k) => [k, UNKNOWN])) };
            const diff = await host.diff(r.id, r.urn, r.outputs, news);
            if (diff.replaces.length > 0) found.push({ resource: r, keys });
        }
        return found;
    }

    /** Preview: Check and Diff every resource, answer the program with what is known. */
    private async preview(host: ProviderHost): Promise<Step[]> {
        const p = this.opts.print;
        const steps: Step[] = [];
        const forced = new Map<string, string>();
        const seen = new Set<string>();
        p.line(`Previewing update (${this.name}):`);
        const outputs = await this.run(true, async (reg) => {
            seen.add(reg.urn);
            const old = this.find(reg.urn);
            const checked = await this.check(host, reg, old?.inputs ?? {});
            const type = shortType(reg.type);
            const step = (op: StepOp, detail: string): void => {
                const s = { op, urn: reg.urn, type, name: reg.name, detail };
                steps.push(s);
                p.planned(s);
            };
            if (!old) {
                step("create", describeInputs(checked, reg.additionalSecretOutputs));
                return { state: visible(checked, reg.additionalSecretOutputs) };
            }
            if (forced.has(reg.urn)) {
                step("replace", forced.get(reg.urn)!);
                return { state: visible(checked, reg.additionalSecretOutputs) };
            }
            const diff = await host.diff(old.id, reg.urn, old.outputs, checked);
            if (diff.changes !== "some") {
                step("same", "");
                return { id: old.id, state: visible(old.outputs, old.additionalSecretOutputs) };
            }
            const changed = describeChanges(old, checked, diff.replaces);
            if (diff.replaces.length > 0) {
                step("replace", changed);
                if (diff.deleteBeforeReplace) {
                    for (const { resource, keys } of await this.dependentsToReplace(host, reg.urn)) {
                        forced.set(resource.urn, `${keys.join(", ")}: from ${reg.name}, which is replaced`);
                    }
                }
                return { state: visible(checked, reg.additionalSecretOutputs) };
            }
            step("update", changed);
            return { id: old.id, state: visible({ ...old.outputs, ...checked }, reg.additionalSecretOutputs) };
        });
        for (const r of [...this.resources].reverse()) {
            if (seen.has(r.urn)) continue;
            const s: Step = {
                op: "delete",
                urn: r.urn,
                type: shortType(r.type),
                name: r.name,
                detail: "no longer in the program",
            };
            steps.push(s);
            p.planned(s);
        }
        p.outputs(outputs, "  Outputs (preview):");
        p.summary(steps);
        return steps;
    }

    /** Update: Check, Diff and apply each resource as it registers; then delete what is gone. */
    private async update(host: ProviderHost): Promise<Step[]> {
        const p = this.opts.print;
        const steps: Step[] = [];
        const next: ResourceState[] = [];
        const deleteAtEnd: ResourceState[] = [];
        const forced = new Map<string, string>();
        p.line(`Updating (${this.name}):`);

        const record = (
            reg: Registration,
            id: string,
            inputs: Record<string, unknown>,
            outputs: Record<string, unknown>,
        ): RegistrationResult => {
            next.push({
                urn: reg.urn,
                type: reg.type,
                name: reg.name,
                id,
                inputs,
                outputs,
                propertyDependencies: reg.propertyDependencies,
                additionalSecretOutputs: reg.additionalSecretOutputs,
            });
            return { id, state: visible(outputs, reg.additionalSecretOutputs) };
        };
        const create = async (
            reg: Registration,
            checked: Record<string, unknown>,
            step: Step,
        ): Promise<RegistrationResult> => {
            const created = await p.timed(
                step,
                () => host.create(reg.urn, checked),
                (r) => describeOutputs(r.properties, reg),
            );
            steps.push(step);
            return record(reg, created.id, checked, created.properties);
        };
        const remove = async (r: ResourceState, detail: string): Promise<void> => {
            const step: Step = { op: "delete", urn: r.urn, type: shortType(r.type), name: r.name, detail };
            await p.timed(step, () => host.delete(r.id, r.urn, r.outputs));
            this.resources = this.resources.filter((x) => x !== r);
            steps.push(step);
        };

        const outputs = await this.run(false, async (reg) => {
            const old = this.find(reg.urn);
            const checked = await this.check(host, reg, old?.inputs ?? {});
            const base = { urn: reg.urn, type: shortType(reg.type), name: reg.name };
            if (!old) {
                const why = forced.get(reg.urn);
                return create(reg, checked, { ...base, op: why ? "replace" : "create", detail: why ?? "" });
            }
            const diff = await host.diff(old.id, reg.urn, old.outputs, checked);
            if (diff.changes !== "some") {
                this.resources = this.resources.filter((x) => x !== old);
                next.push(old);
                return { id: old.id, state: visible(old.outputs, old.additionalSecretOutputs) };
            }
            const changed = describeChanges(old, checked, diff.replaces);
            if (diff.replaces.length > 0) {
                if (diff.deleteBeforeReplace) {
                    const dependents = await this.dependentsToReplace(host, reg.urn);
                    for (const { resource, keys } of [...dependents].reverse()) {
                        forced.set(resource.urn, `${keys.join(", ")}: from ${reg.name}, which was replaced`);
                        await remove(resource, `replacing: ${reg.name} is replaced`);
                    }
                    await remove(old, "replacing: delete before create");
                } else {
                    // Create first, delete the old one at the end (what the engine does by default).
                    this.resources = this.resources.filter((x) => x !== old);
                    deleteAtEnd.push(old);
                }
                return create(reg, checked, { ...base, op: "replace", detail: changed });
            }
            const step: Step = { ...base, op: "update", detail: changed };
            const updated = await p.timed(
                step,
                () => host.update(old.id, reg.urn, old.outputs, checked),
                (r) => describeOutputs(r.properties, reg),
            );
            steps.push(step);
            this.resources = this.resources.filter((x) => x !== old);
            return record(reg, old.id, checked, updated.properties);
        });
        // Whatever the program no longer registers, then the replaced originals: dependents first.
        for (const r of [...this.resources].reverse()) await remove(r, "no longer in the program");
        for (const r of [...deleteAtEnd].reverse()) {
            this.resources.push(r);
            await remove(r, "replaced");
        }
        this.resources = next;
        this.outputs = outputs;
        p.outputs(outputs, "  Outputs:");
        p.summary(steps);
        return steps;
    }
}

/**
 * What the program sees of a resource: outputs without `__provider`, secret outputs marked secret
 * (the engine applies `additionalSecretOutputs`).
 */
function visible(props: Record<string, unknown>, secretKeys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props)) {
        if (k === PROVIDER_KEY) continue;
        out[k] = secretKeys.includes(k) && !isSecret(v) ? pulumi.secret(v) : v;
    }
    return out;
}

/** `key: old → new` for every input that changes; replaced keys first. */
function describeChanges(old: ResourceState, news: Record<string, unknown>, replaces: string[]): string {
    const keys = new Set<string>(replaces);
    for (const k of Object.keys(news)) {
        if (!isInternalKey(k) && JSON.stringify(old.inputs[k]) !== JSON.stringify(news[k])) keys.add(k);
    }
    const secretKeys = old.additionalSecretOutputs;
    return [...keys]
        .map((k) => {
            if (!(k in news) && k in old.outputs)
                return `${k}: renew window reached (${describeValue(old.outputs[k], false)})`;
            return `${k}: ${describeValue(old.inputs[k], secretKeys.includes(k))} → ${describeValue(news[k], secretKeys.includes(k))}`;
        })
        .join(", ");
}

/** The outputs a newcomer cares about after a create or update, secrets masked. */
function describeOutputs(props: Record<string, unknown>, reg: Registration): string {
    const interesting = ["serverUrl", "region", "subscriptionTierSlug", "dockerConfigJson", "expiresAt"];
    return interesting
        .filter((k) => props[k] !== undefined)
        .map((k) => `${k}: ${describeValue(props[k], reg.additionalSecretOutputs.includes(k))}`)
        .join(", ");
}
