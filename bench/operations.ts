/**
 * API calls per operation, through the real dynamic-provider host, counted at the emulator.
 *
 *   npx ts-node --transpile-only bench/operations.ts
 *
 * Floor (docs: design.md, performance budget): create 1, read 1, update 1, delete 1, diff 0.
 * Check's remote look-ups (region/tier options, name availability) are counted separately: the
 * options answer is cached for the host process (one `pulumi up`), so a stack of N registries asks
 * for it once; name availability is asked once per new name. A refresh of 10 registries and 50
 * credentials, every read at once, shares one listing: at most 2 requests (bench/lib/shared-reads.ts).
 */
import type { RequestRecord } from "../emulator";
import { stripProvider } from "../harness/engine";
import { startWorld } from "../harness/world";
import { machine, table } from "./lib/report";
import { REFRESH_FLOOR, sharedReadFigures } from "./lib/shared-reads";

type Row = {
    resource: string;
    check: string;
    create: string;
    read: string;
    update: string;
    delete: string;
    diff: string;
    notes: string;
};

function n(requests: RequestRecord[]): string {
    return String(requests.length);
}

function ops(requests: RequestRecord[]): string {
    const byOp = new Map<string, number>();
    for (const r of requests) byOp.set(r.operationId, (byOp.get(r.operationId) ?? 0) + 1);
    return [...byOp].map(([op, c]) => `${op}${c > 1 ? ` x${c}` : ""}`).join(", ") || "none";
}

async function main(): Promise<void> {
    const started = Date.now();
    // Counting does not depend on pacing: lift the client's 250/min spacing so the run is short.
    const world = await startWorld({ callTimeoutMs: 120_000, hostEnv: { DOCR_MAX_REQUESTS_PER_MINUTE: "1000000" } });
    const { emulator } = world;
    const rows: Row[] = [];
    const details: string[] = [];
    const floorViolations: string[] = [];
    const expectAtMost = (what: string, requests: RequestRecord[], floor: number) => {
        if (requests.length > floor)
            floorViolations.push(`${what}: ${requests.length} requests (${ops(requests)}), floor ${floor}`);
    };
    try {
        // ---- check's remote look-ups, across resources of one host process ----
        const checkCounts: number[] = [];
        for (let i = 0; i < 10; i++) {
            const reg = await world.resource("Registry", `check-${i}`);
            const { result, requests } = await world.counted(() =>
                reg.check({}, { name: `bench-check-${i}`, region: "fra1", subscriptionTierSlug: "professional" }),
            );
            if (result.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
            checkCounts.push(requests.length);
            if (i < 2) details.push(`Registry check #${i + 1} (new name): ${ops(requests)}`);
        }
        const totalCheck = checkCounts.reduce((a, b) => a + b, 0);
        details.push(
            `10 Registry checks with new names in one host: ${totalCheck} requests (options once, then validate-name per name): [${checkCounts.join(", ")}]`,
        );

        // ---- Registry ----
        const reg = await world.resource("Registry", "ops");
        const regCheck = await world.counted(() =>
            reg.check(
                { name: "bench-ops", region: "fra1", subscriptionTierSlug: "professional" },
                { name: "bench-ops", region: "fra1", subscriptionTierSlug: "professional" },
            ),
        );
        const regIn = stripProvider(regCheck.result.inputs);
        const regCreate = await world.counted(() => reg.create(regIn));
        const regOuts = regCreate.result.properties;
        const regRead = await world.counted(() => reg.read(regCreate.result.id, regOuts, regCheck.result.inputs));
        const regDiff = await world.counted(() =>
            reg.diff("bench-ops", regOuts, { ...regIn, subscriptionTierSlug: "basic" }),
        );
        const regUpdate = await world.counted(() =>
            reg.update("bench-ops", regOuts, { ...regIn, subscriptionTierSlug: "basic" }),
        );
        rows.push({
            resource: "Registry",
            check: `${checkCounts[0]} first new name, ${checkCounts[1]} each next, ${n(regCheck.requests)} unchanged`,
            create: n(regCreate.requests),
            read: n(regRead.requests),
            update: n(regUpdate.requests),
            delete: "",
            diff: n(regDiff.requests),
            notes: "update = tier change (POST subscription)",
        });
        expectAtMost("Registry create", regCreate.requests, 1);
        expectAtMost("Registry read", regRead.requests, 1);
        expectAtMost("Registry update", regUpdate.requests, 1);
        expectAtMost("Registry diff", regDiff.requests, 0);

        // ---- Subscription (adopts the team's plan) ----
        const sub = await world.resource("Subscription", "ops");
        const subCheck = await world.counted(() => sub.check({}, { tierSlug: "basic" }));
        const subCreate = await world.counted(() => sub.create(stripProvider(subCheck.result.inputs)));
        const subRead = await world.counted(() => sub.read(subCreate.result.id, subCreate.result.properties));
        const subDiff = await world.counted(() =>
            sub.diff(subCreate.result.id, subCreate.result.properties, { tierSlug: "professional" }),
        );
        const subUpdate = await world.counted(() =>
            sub.update(subCreate.result.id, subCreate.result.properties, { tierSlug: "professional" }),
        );
        const subDelete = await world.counted(() => sub.delete(subCreate.result.id, subUpdate.result.properties));
        rows.push({
            resource: "Subscription",
            check: `${n(subCheck.requests)} (options cached)`,
            create: n(subCreate.requests),
            read: n(subRead.requests),
            update: n(subUpdate.requests),
            delete: n(subDelete.requests),
            diff: n(subDiff.requests),
            notes: "delete: the API has no delete (plan stays)",
        });
        expectAtMost("Subscription create", subCreate.requests, 1);
        expectAtMost("Subscription read", subRead.requests, 1);
        expectAtMost("Subscription update", subUpdate.requests, 1);
        expectAtMost("Subscription delete", subDelete.requests, 1);
        expectAtMost("Subscription diff", subDiff.requests, 0);

        // ---- RegistryCredentials ----
        const creds = await world.resource("RegistryCredentials", "ops");
        const crCheck = await world.counted(() =>
            creds.check({}, { registryName: "bench-ops", readWrite: true, expirySeconds: 3600 }),
        );
        const crIn = stripProvider(crCheck.result.inputs);
        const crCreate = await world.counted(() => creds.create(crIn));
        const crRead = await world.counted(() => creds.read(crCreate.result.id, crCreate.result.properties));
        const crDiff = await world.counted(() => creds.diff(crCreate.result.id, crCreate.result.properties, crIn));
        const crDelete = await world.counted(() => creds.delete(crCreate.result.id, crCreate.result.properties));
        const neverCreate = await creds.create({ registryName: "bench-ops", readWrite: false, expirySeconds: 0 });
        const crDeleteNever = await world.counted(() => creds.delete(neverCreate.id, neverCreate.properties));
        rows.push({
            resource: "RegistryCredentials",
            check: n(crCheck.requests),
            create: n(crCreate.requests),
            read: n(crRead.requests),
            update: "- (replace)",
            delete: `${n(crDelete.requests)} / ${n(crDeleteNever.requests)}`,
            diff: n(crDiff.requests),
            notes: "read = registry still there; delete: no revoke API (expiring / never-expiring)",
        });
        expectAtMost("RegistryCredentials create", crCreate.requests, 1);
        expectAtMost("RegistryCredentials read", crRead.requests, 1);
        expectAtMost("RegistryCredentials diff", crDiff.requests, 0);

        // Registry delete last (the credentials read needed it).
        const regDelete = await world.counted(() => reg.delete("bench-ops", regUpdate.result.properties));
        rows[0].delete = n(regDelete.requests);
        expectAtMost("Registry delete", regDelete.requests, 1);

        // ---- RetentionPolicy: a registry with 3 repositories x 30 tags, keepLast 10 ----
        emulator.seed({
            subscriptionTier: "professional",
            registries: [
                {
                    name: "bench-retention",
                    region: "fra1",
                    repositories: ["api", "web", "worker"].map((name) => ({
                        name,
                        generate: { tagCount: 30, seed: 7 },
                    })),
                },
            ],
        });
        const pol = await world.resource("RetentionPolicy", "ops");
        const polInputs = { registryName: "bench-retention", keepLast: 10 };
        const polCheck = await world.counted(() => pol.check({}, polInputs));
        const polCreate = await world.counted(() => pol.create(polCheck.result.inputs));
        const polRead = await world.counted(() => pol.read(polCreate.result.id, polCreate.result.properties));
        const polDiff = await world.counted(() =>
            pol.diff(polCreate.result.id, polCreate.result.properties, polCheck.result.inputs),
        );
        // The update's own check plans keepLast 5: the run deletes at most what its check listed.
        const polRecheck = await pol.check(polCreate.result.properties, { ...polInputs, keepLast: 5 });
        const polUpdate = await world.counted(() =>
            pol.update(polCreate.result.id, polCreate.result.properties, polRecheck.inputs),
        );
        const polDelete = await world.counted(() => pol.delete(polCreate.result.id, polUpdate.result.properties));
        rows.push({
            resource: "RetentionPolicy",
            check: n(polCheck.requests),
            create: n(polCreate.requests),
            read: n(polRead.requests),
            update: n(polUpdate.requests),
            delete: n(polDelete.requests),
            diff: n(polDiff.requests),
            notes: "check = live plan; create/update = plan + 1 DELETE per tag whose manifest stays",
        });
        details.push(`RetentionPolicy check (plan of 3 repos x 30 tags): ${ops(polCheck.requests)}`);
        details.push(`RetentionPolicy create (delete 60 of 90 tags): ${ops(polCreate.requests)}`);
        details.push(`RetentionPolicy update (keepLast 10 -> 5, 15 more tags): ${ops(polUpdate.requests)}`);

        // ---- RetentionPolicy by manifest: 300 tags, all three tags of each of 100 manifests (10 newer manifests kept) ----
        const DAY = 86_400_000;
        const seededAt = Date.now();
        emulator.seed({
            registries: [
                {
                    name: "bench-bulk",
                    region: "fra1",
                    repositories: [
                        {
                            name: "app",
                            manifests: Array.from({ length: 110 }, (_, k) => ({
                                digest: `sha256:bulk-${k}`,
                                tags: [`b${k}`, `b${k}-amd64`, `b${k}-arm64`],
                                updatedAt: new Date(seededAt - (110 - k) * DAY).toISOString(),
                            })),
                        },
                    ],
                },
            ],
        });
        const bulk = await world.resource("RetentionPolicy", "bulk");
        const bulkCheck = await world.counted(() =>
            bulk.check({}, { registryName: "bench-bulk", keepLast: 30, deleteUntaggedManifests: true }),
        );
        const bulkCreate = await world.counted(() => bulk.create(bulkCheck.result.inputs));
        const bulkDeletes = bulkCreate.requests.filter((r) => r.method === "DELETE");
        const bulkListings = bulkCreate.requests.filter((r) => r.method === "GET");
        const bulkProps = bulkCreate.result.properties;
        details.push(
            `RetentionPolicy removing 300 tags on 100 manifests: check ${n(bulkCheck.requests)} (${ops(bulkCheck.requests)}); ` +
                `create ${n(bulkCreate.requests)} = ${bulkDeletes.length} deletions + ${bulkListings.length} listings (${ops(bulkCreate.requests)}); ` +
                `removed ${String(bulkProps.deletedTags)} tags, ${String(bulkProps.deletedManifests)} manifests (tag by tag it was 300 tag + 100 manifest DELETEs)`,
        );
        expectAtMost("RetentionPolicy 300 tags on 100 manifests: deletions", bulkDeletes, 100);
        if (bulkProps.deletedTags !== 300 || bulkProps.deletedManifests !== 100) {
            floorViolations.push(
                `RetentionPolicy 300 tags on 100 manifests removed ${String(bulkProps.deletedTags)} tags and ${String(bulkProps.deletedManifests)} manifests`,
            );
        }

        // ---- GarbageCollection (emulator GC stages of 20 ms) ----
        const gc = await world.resource("GarbageCollection", "ops");
        const gcCheck = await world.counted(() => gc.check({}, { registryName: "bench-retention" }));
        const gcCreate = await world.counted(() => gc.create(gcCheck.result.inputs));
        const gcRead = await world.counted(() => gc.read(gcCreate.result.id, gcCreate.result.properties));
        const gcDiff = await world.counted(() =>
            gc.diff(gcCreate.result.id, gcCreate.result.properties, gcCheck.result.inputs),
        );
        const gcUpdate = await world.counted(() =>
            gc.update(gcCreate.result.id, gcCreate.result.properties, {
                ...stripProvider(gcCheck.result.inputs),
                timeoutMinutes: 5,
            }),
        );
        const gcDelete = await world.counted(() => gc.delete(gcCreate.result.id, gcUpdate.result.properties));
        rows.push({
            resource: "GarbageCollection",
            check: n(gcCheck.requests),
            create: n(gcCreate.requests),
            read: n(gcRead.requests),
            update: n(gcUpdate.requests),
            delete: n(gcDelete.requests),
            diff: n(gcDiff.requests),
            notes: "create = start + polls until done; read/delete look at the active run (+ history)",
        });
        details.push(`GarbageCollection create: ${ops(gcCreate.requests)}`);
        details.push(
            `GarbageCollection read: ${ops(gcRead.requests)}; delete (finished run): ${ops(gcDelete.requests)}`,
        );
        expectAtMost("GarbageCollection diff", gcDiff.requests, 0);
        expectAtMost("RetentionPolicy diff", polDiff.requests, 0);
        expectAtMost("RetentionPolicy read", polRead.requests, 1);
    } finally {
        await world.stop();
    }

    console.log("# API calls per operation through the dynamic-provider host (counted at the emulator)\n");
    console.log(`machine: ${machine()}\n`);
    console.log(
        table(
            ["resource", "check", "create", "read", "update", "delete", "diff", "notes"],
            rows.map((r) => [r.resource, r.check, r.create, r.read, r.update, r.delete, r.diff, r.notes]),
        ),
    );
    console.log("\nfloor: create 1, read 1, update 1, delete 1, diff 0\n");
    for (const line of details) console.log(`- ${line}`);

    // ---- reads one host shares: a refresh of a stack, checks of new registries ----
    const shared = await sharedReadFigures();
    console.log("\n## Reads one host process shares (a stack refreshed at once)\n");
    for (const line of shared.lines) console.log(`- ${line}`);
    expectAtMost("refresh of 10 registries + 50 credentials", shared.refreshRequests, REFRESH_FLOOR);
    console.log(
        floorViolations.length === 0
            ? "\nAll Registry, Subscription and RegistryCredentials operations are at or below the floor; diff makes no request anywhere."
            : `\nABOVE THE FLOOR:\n${floorViolations.map((v) => `  ${v}`).join("\n")}`,
    );
    console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
});
