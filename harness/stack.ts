/**
 * A small stand-in for the Pulumi engine's step executor, for benchmarks and the soak test: it
 * keeps a stack's state in memory and drives each resource through the real dynamic-provider host
 * (Check, Diff, Create, Update, Read, Delete, with `__provider` as serialized), in dependency
 * waves (Subscription, Registry, RegistryCredentials, RetentionPolicy, GarbageCollection), with
 * up to `concurrency` steps of a wave at once, like the engine's parallel steps.
 *
 * Like `pulumi up --continue-on-error`, a failed step does not stop independent steps; a resource
 * whose dependency is not in state is skipped. Re-running `up` picks up where it failed, as a user
 * re-running `pulumi up` does.
 */
import type { Props } from "./engine";
import type { World, Kind } from "./world";

export interface DesiredResource {
    kind: Kind;
    /** Unique within the stack (the URN's name). */
    name: string;
    /** Inputs as the program gives them (no `__provider`: the driver adds it). */
    inputs: Props;
    /** Names of resources that must be in state first. */
    dependsOn?: string[];
}

export interface LiveResource {
    kind: Kind;
    name: string;
    id: string;
    /** Checked inputs, with `__provider`. */
    inputs: Props;
    /** Outputs, with `__provider`. */
    outputs: Props;
}

export type StepOp = "check" | "create" | "diff" | "update" | "read" | "delete";

export interface StepRecord {
    resource: string;
    kind: Kind;
    op: StepOp;
    ms: number;
    error?: string;
}

export interface RunResult {
    /** Every step of the run (failed ones carry `error`). */
    steps: StepRecord[];
    failures: StepRecord[];
    /** Resources not attempted because a dependency was missing from state. */
    skipped: string[];
    /** Resources a refresh found gone (read returned an empty id). */
    gone: string[];
    ms: number;
}

export interface DriverOptions {
    /** Steps of a wave at once (default 10). */
    concurrency?: number;
    /** Wraps every host call (attribution of requests, timing). */
    around?: <T>(step: { resource: string; kind: Kind; op: StepOp }, call: () => Promise<T>) => Promise<T>;
}

const ORDER: readonly Kind[] = [
    "Subscription",
    "Registry",
    "RegistryCredentials",
    "RetentionPolicy",
    "GarbageCollection",
];

/** Runs `fn` over `items`, at most `limit` at once. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
        while (next < items.length) {
            const item = items[next++];
            await fn(item);
        }
    });
    await Promise.all(workers);
}

export class StackDriver {
    readonly live = new Map<string, LiveResource>();
    private readonly concurrency: number;

    constructor(
        // Only `resource` is used: a host of one's own (bench/lib/quota-stack.ts) binds resources too.
        private readonly world: Pick<World, "resource">,
        private readonly options: DriverOptions = {},
    ) {
        this.concurrency = options.concurrency ?? 10;
    }

    /** `pulumi up`: create what is missing, update or replace what changed, delete what is no longer desired. */
    async up(desired: readonly DesiredResource[]): Promise<RunResult> {
        const run = this.newRun();
        for (const kind of ORDER) {
            const wave = desired.filter((d) => d.kind === kind);
            await pool(wave, this.concurrency, async (d) => {
                if ((d.dependsOn ?? []).some((dep) => !this.live.has(dep))) {
                    run.skipped.push(d.name);
                    return;
                }
                await this.apply(run, d).catch(() => undefined);
            });
        }
        const wanted = new Set(desired.map((d) => d.name));
        await this.deleteAll(
            run,
            [...this.live.values()].filter((r) => !wanted.has(r.name)),
        );
        return this.finish(run);
    }

    /** `pulumi refresh`: read every resource; one the provider reports gone leaves the state. */
    async refresh(): Promise<RunResult> {
        const run = this.newRun();
        await pool([...this.live.values()], this.concurrency, async (r) => {
            const read = await this.step(run, r, "read", async (res) => res.read(r.id, r.outputs, r.inputs)).catch(
                () => undefined,
            );
            if (!read) return;
            if (read.id === "") {
                this.live.delete(r.name);
                run.gone.push(r.name);
            } else {
                r.outputs = read.properties;
            }
        });
        return this.finish(run);
    }

    /** `pulumi destroy`: delete everything, dependents first. */
    async destroy(): Promise<RunResult> {
        const run = this.newRun();
        await this.deleteAll(run, [...this.live.values()]);
        return this.finish(run);
    }

    private async deleteAll(run: RunResult & { started: number }, resources: LiveResource[]): Promise<void> {
        for (const kind of [...ORDER].reverse()) {
            await pool(
                resources.filter((r) => r.kind === kind),
                this.concurrency,
                async (r) => {
                    await this.step(run, r, "delete", (res) => res.delete(r.id, r.outputs))
                        .then(() => this.live.delete(r.name))
                        .catch(() => undefined);
                },
            );
        }
    }

    private async apply(run: RunResult & { started: number }, d: DesiredResource): Promise<void> {
        const current = this.live.get(d.name);
        const checked = await this.step(run, d, "check", async (res) => {
            const result = await res.check(current?.inputs ?? {}, d.inputs);
            if (result.failures.length > 0)
                throw new Error(`check failed: ${result.failures.map((f) => f.reason).join("; ")}`);
            return result;
        });
        if (!current) {
            const created = await this.step(run, d, "create", (res) => res.create(checked.inputs));
            this.live.set(d.name, {
                kind: d.kind,
                name: d.name,
                id: created.id,
                inputs: checked.inputs,
                outputs: created.properties,
            });
            return;
        }
        const diff = await this.step(run, d, "diff", (res) => res.diff(current.id, current.outputs, checked.inputs));
        if (diff.changes === "none") return;
        if (diff.replaces.length > 0) {
            if (diff.deleteBeforeReplace) {
                await this.step(run, d, "delete", (res) => res.delete(current.id, current.outputs));
                this.live.delete(d.name);
                const created = await this.step(run, d, "create", (res) => res.create(checked.inputs));
                this.live.set(d.name, {
                    kind: d.kind,
                    name: d.name,
                    id: created.id,
                    inputs: checked.inputs,
                    outputs: created.properties,
                });
            } else {
                const created = await this.step(run, d, "create", (res) => res.create(checked.inputs));
                this.live.set(d.name, {
                    kind: d.kind,
                    name: d.name,
                    id: created.id,
                    inputs: checked.inputs,
                    outputs: created.properties,
                });
                await this.step(run, d, "delete", (res) => res.delete(current.id, current.outputs));
            }
            return;
        }
        const updated = await this.step(run, d, "update", (res) =>
            res.update(current.id, current.outputs, checked.inputs),
        );
        current.outputs = updated.properties;
        current.inputs = checked.inputs;
    }

    private async step<T>(
        run: RunResult,
        r: { kind: Kind; name: string },
        op: StepOp,
        call: (res: Awaited<ReturnType<World["resource"]>>) => Promise<T>,
    ): Promise<T> {
        const res = await this.world.resource(r.kind, r.name);
        const record: StepRecord = { resource: r.name, kind: r.kind, op, ms: 0 };
        run.steps.push(record);
        const started = performance.now();
        try {
            const wrapped = () => call(res);
            return await (this.options.around
                ? this.options.around({ resource: r.name, kind: r.kind, op }, wrapped)
                : wrapped());
        } catch (err) {
            record.error = err instanceof Error ? err.message : String(err);
            run.failures.push(record);
            throw err;
        } finally {
            record.ms = performance.now() - started;
        }
    }

    private newRun(): RunResult & { started: number } {
        return { steps: [], failures: [], skipped: [], gone: [], ms: 0, started: performance.now() };
    }

    private finish(run: RunResult & { started: number }): RunResult {
        const { started, ...rest } = run;
        return { ...rest, ms: performance.now() - started };
    }
}
