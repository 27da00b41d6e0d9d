/**
 * One stack on a shared token, in a process of its own, run the way users run it (bench/quota.ts):
 * a real dynamic-provider host configured with `digitalocean:token` / `digitalocean:apiUrl` of the
 * one shared emulator, driven like the engine by {@link StackDriver} (up: check + create, refresh:
 * read, destroy: delete; steps of a wave at once). With `retention`, a RetentionPolicy runs beside
 * the stack in the same host: `up` again while its `remainingDeletions.requests` is not zero.
 *
 * Started by `runStacks` (quota-stacks.ts) with an IPC channel: the parent grants a team slot
 * before the stack creates its registries (a team has at most 10) and gets the report back.
 *
 *   node -r ts-node/register/transpile-only bench/lib/quota-stack.ts '<StackConfig JSON>'
 */
import { bindResource, startProviderHost, urn, type Props } from "../../harness/engine";
import { StackDriver, type DesiredResource, type RunResult } from "../../harness/stack";
import { serializedProvider, type Kind } from "../../harness/world";

export interface StackConfig {
    id: string;
    url: string;
    token: string;
    registries: string[];
    credentialsPerRegistry: number;
    /** The host's environment: the quota knobs (DOCR_QUOTA_RESERVE, DOCR_MAX_REQUESTS_PER_MINUTE, ...). */
    hostEnv: Record<string, string>;
    /** Steps of a wave at once. */
    concurrency: number;
    retention?: { registryName: string; repository: string; maxDeletionsPerRun: number };
}

export interface RetentionReport {
    runs: number;
    deletedTags: number;
    deletedManifests: number;
    /** `remainingDeletions.requests` after the last run. */
    remaining: number;
    ms: number;
}

export interface StackReport {
    id: string;
    /** Engine steps (check, create, read, delete, diff, update) and those that failed. */
    steps: number;
    failed: number;
    errors: string[];
    phases: { up: number; refresh: number; destroy: number };
    /** Time spent waiting for a team slot (the 10-registry limit), not for quota. */
    slotWaitMs: number;
    /** 429s the provider absorbed (its warning "…; waiting N ms for the API's …"), and those waits summed. */
    refusalsAbsorbed: number;
    refusalWaitMs: number;
    /** Engine-log notices of long waits ("waiting N s for the API's hourly quota …"), and their seconds summed. */
    notices: string[];
    noticedWaitS: number;
    retention?: RetentionReport;
    wallMs: number;
}

type Message = { type: "granted" };

function desiredStack(config: StackConfig): DesiredResource[] {
    return config.registries.flatMap((name, r): DesiredResource[] => [
        { kind: "Registry", name: `reg-${r}`, inputs: { name, region: "fra1", subscriptionTierSlug: "professional" } },
        ...Array.from({ length: config.credentialsPerRegistry }, (_, c): DesiredResource => ({
            kind: "RegistryCredentials",
            name: `creds-${r}-${c}`,
            inputs: { registryName: name, readWrite: c === 0, expirySeconds: 3600 + c },
            dependsOn: [`reg-${r}`],
        })),
    ]);
}

/** Waits for the parent's grant of a team slot. */
function slot(): Promise<void> {
    return new Promise((resolve) => {
        const onMessage = (m: Message) => {
            if (m.type !== "granted") return;
            process.off("message", onMessage);
            resolve();
        };
        process.on("message", onMessage);
        process.send?.({ type: "acquire" });
    });
}

async function main(config: StackConfig): Promise<StackReport> {
    const started = Date.now();
    const host = await startProviderHost({ env: config.hostEnv, callTimeoutMs: 900_000 });
    const report: StackReport = {
        id: config.id,
        steps: 0,
        failed: 0,
        errors: [],
        phases: { up: 0, refresh: 0, destroy: 0 },
        slotWaitMs: 0,
        refusalsAbsorbed: 0,
        refusalWaitMs: 0,
        notices: [],
        noticedWaitS: 0,
        wallMs: 0,
    };
    try {
        await host.configure({ "digitalocean:token": config.token, "digitalocean:apiUrl": config.url });
        const serialized = new Map<Kind, string>();
        for (const kind of ["Registry", "RegistryCredentials", "RetentionPolicy"] as const)
            serialized.set(kind, await serializedProvider(kind));
        const world = {
            resource: async (kind: Kind, name: string) =>
                bindResource(
                    host,
                    serialized.get(kind) ?? (await serializedProvider(kind)),
                    urn(`pulumi-nodejs:dynamic/docr:${kind}`, name),
                ),
        };
        const tally = (run: RunResult): RunResult => {
            report.steps += run.steps.length;
            report.failed += run.failures.length + run.skipped.length + run.gone.length;
            for (const f of run.failures)
                if (report.errors.length < 5) report.errors.push(`${f.op} ${f.resource}: ${f.error}`);
            return run;
        };

        const stack = async (): Promise<void> => {
            const driver = new StackDriver(world, { concurrency: config.concurrency });
            const waitFrom = Date.now();
            await slot();
            report.slotWaitMs = Date.now() - waitFrom;
            try {
                report.phases.up = tally(await driver.up(desiredStack(config))).ms;
                report.phases.refresh = tally(await driver.refresh()).ms;
                report.phases.destroy = tally(await driver.destroy()).ms;
            } finally {
                process.send?.({ type: "release" });
            }
        };

        const retention = async (): Promise<void> => {
            const plan = config.retention;
            if (!plan) return;
            const driver = new StackDriver(world, { concurrency: 1 });
            const policy: DesiredResource = {
                kind: "RetentionPolicy",
                name: "cleanup",
                inputs: {
                    registryName: plan.registryName,
                    repositories: [plan.repository],
                    keepLast: 0,
                    deleteUntaggedManifests: true,
                    maxDeletionsPerRun: plan.maxDeletionsPerRun,
                },
            };
            const out: RetentionReport = { runs: 0, deletedTags: 0, deletedManifests: 0, remaining: -1, ms: 0 };
            const from = Date.now();
            // `pulumi up` again while the last run left deletions, as docs/cleanup.md tells users; a bound
            // on the runs keeps a regression from looping for ever.
            for (let up = 0; up < 20; up++) {
                const run = tally(await driver.up([policy]));
                if (run.failures.length > 0) break;
                const outputs: Props = driver.live.get("cleanup")?.outputs ?? {};
                out.runs++;
                out.deletedTags += Number(outputs.deletedTags ?? 0);
                out.deletedManifests += Number(outputs.deletedManifests ?? 0);
                out.remaining = Number(
                    (outputs.remainingDeletions as { requests?: number } | undefined)?.requests ?? -1,
                );
                if (out.remaining <= 0) break;
            }
            tally(await driver.destroy());
            out.ms = Date.now() - from;
            report.retention = out;
        };

        await Promise.all([stack(), retention()]);
    } finally {
        const output = host.output();
        await host.stop();
        for (const m of output.matchAll(/waiting (\d+) ms for the API's [a-z ]+ \(\d+ of \d+ ms quota wait used\)/g)) {
            report.refusalsAbsorbed++;
            report.refusalWaitMs += Number(m[1]);
        }
        for (const m of output.matchAll(/info: \[runtime\] (waiting (\d+) s for the API's [^\n]*)/g)) {
            report.notices.push(m[1]);
            report.noticedWaitS += Number(m[2]);
        }
        report.wallMs = Date.now() - started;
    }
    return report;
}

const raw = process.argv[2];
if (!raw) {
    process.stderr.write("usage: quota-stack.ts '<StackConfig JSON>'\n");
    process.exit(2);
}
main(JSON.parse(raw) as StackConfig).then(
    (report) => process.send?.({ type: "report", report }, () => process.exit(0)),
    (err: unknown) => {
        process.stderr.write(`stack failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
