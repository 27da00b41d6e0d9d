/**
 * One "stack" on a shared token, in a process of its own (as CI runs dev, staging and prod): used
 * by bench/quota.ts and tests/client/quota-processes.test.ts. Drives DocrClient directly with the
 * calls a stack of registries and credentials makes (create, refresh, destroy), and, for the one
 * with `bulkRegistry`, a listing and one DELETE per tag. Prints one JSON line (`WorkerReport`).
 *
 *   node -r ts-node/register/transpile-only bench/lib/quota-worker.ts '<WorkerConfig JSON>'
 */
import { DocrClient } from "../../provider/client";

export interface WorkerConfig {
    id: string;
    url: string;
    token: string;
    /** Registries this stack creates, refreshes and destroys, one after the other (a team has at most 10). */
    registries: string[];
    credentialsPerRegistry: number;
    /** The team's per-minute rate, scaled to a real minute (the bench's 60 a second: 3,600). */
    perMinuteLimit: number;
    /** Delete every tag of this repository, one request each. */
    bulkRegistry?: string;
    bulkRepository?: string;
    quotaReserve?: number;
    /** The fault retry budget; 429s must not depend on it (they wait against maxQuotaWaitMs). */
    maxRetryTimeMs?: number;
}

export interface WorkerReport {
    id: string;
    operations: number;
    failed: number;
    errors: string[];
    /** Calls that waited at the reserve (pacing), and how long in total. */
    quotaWaits: number;
    quotaWaitMs: number;
    /** 429s the client absorbed (waited for and retried). */
    refusalsAbsorbed: number;
    notices: string[];
    wallMs: number;
}

async function pool<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(size, items.length) }, async () => {
            while (next < items.length) await run(items[next++]);
        }),
    );
}

async function main(config: WorkerConfig): Promise<WorkerReport> {
    const report: WorkerReport = {
        id: config.id,
        operations: 0,
        failed: 0,
        errors: [],
        quotaWaits: 0,
        quotaWaitMs: 0,
        refusalsAbsorbed: 0,
        notices: [],
        wallMs: 0,
    };
    const client = new DocrClient({
        token: config.token,
        apiUrl: config.url,
        // The emulator's windows are scaled down, the client's own per-minute window is not: this
        // many a real minute is the emulator's 60 a second, what the whole team can spend at most.
        maxRequestsPerMinute: config.perMinuteLimit,
        ...(config.quotaReserve !== undefined ? { quotaReserve: config.quotaReserve } : {}),
        ...(config.maxRetryTimeMs !== undefined ? { maxRetryTimeMs: config.maxRetryTimeMs } : {}),
        notice: (message) => report.notices.push(message),
        logger: (level, message) => {
            const waited = /waited (\d+) ms for the API's hourly quota/.exec(message);
            if (waited) {
                report.quotaWaits++;
                report.quotaWaitMs += Number(waited[1]);
            }
            if (level === "warn" && /waiting \d+ ms for the API's/.test(message)) report.refusalsAbsorbed++;
        },
    });
    const op = async (what: string, call: () => Promise<unknown>): Promise<void> => {
        report.operations++;
        try {
            await call();
        } catch (err) {
            report.failed++;
            if (report.errors.length < 5)
                report.errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
        }
    };
    const started = Date.now();
    const stack = async (): Promise<void> => {
        for (const name of config.registries) {
            await op(`create ${name}`, () => client.createRegistry({ name, region: "fra1" }));
            const creds = Array.from({ length: config.credentialsPerRegistry }, (_, i) => i);
            await Promise.all(
                creds.map((i) =>
                    op(`credentials ${name}#${i}`, () =>
                        client.getDockerCredentials(name, { expirySeconds: 3600 + i }),
                    ),
                ),
            );
            // Refresh: Registry reads itself, each RegistryCredentials reads its registry.
            await Promise.all(
                [name, ...creds.map(() => name)].map((n) => op(`refresh ${n}`, () => client.getRegistry(n))),
            );
            await op(`delete ${name}`, () => client.deleteRegistry(name));
        }
    };
    const bulk = async (): Promise<void> => {
        if (!config.bulkRegistry || !config.bulkRepository) return;
        const registry = config.bulkRegistry;
        const repository = config.bulkRepository;
        const tags: string[] = [];
        await op(`list ${repository}`, async () => {
            for await (const t of client.listTags(registry, repository)) tags.push(t.tag);
        });
        await pool(tags, 32, (tag) => op(`delete tag ${tag}`, () => client.deleteTag(registry, repository, tag)));
    };
    await Promise.all([stack(), bulk()]);
    report.wallMs = Date.now() - started;
    return report;
}

const raw = process.argv[2];
if (!raw) {
    process.stderr.write("usage: quota-worker.ts '<WorkerConfig JSON>'\n");
    process.exit(2);
}
main(JSON.parse(raw) as WorkerConfig).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (err: unknown) => {
        process.stderr.write(`worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
