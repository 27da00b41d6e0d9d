/**
 * Soak under faults: the full lifecycle of a 10-registry stack (+ 20 credentials), several times,
 * through the real dynamic-provider host, against an emulator injecting at once (seeded):
 * 429 bursts with Retry-After, ~20% 5xx, 200 ms latency spikes, dropped connections, lost create
 * responses (the server acted, then the connection dropped or a 5xx came back: adoption), and a
 * few malformed listing bodies.
 *
 * A failed step is handled the way a user handles a failed `pulumi up`: run it again (bounded).
 * Must hold: every phase converges (or a step fails with a clear error and a re-run converges);
 * the emulator's state equals the expected state after every phase (no orphan, no duplicate); per
 * step, each API call is attempted at most `maxAttempts` (5) times and a create is only repeated
 * after a 429; the token appears nowhere a user could see it.
 *
 * Environment: SOAK_ITERATIONS (default 3), SOAK_SEED (default 7), SOAK_RERUNS (default 8).
 * Faults are scoped so the lifecycle can converge: lost or garbled responses after the server
 * acted only on registry creates (which adopt), other malformed bodies only on registry listings
 * (reads; a garbled credential issue would leave an unrecorded credential, and the API cannot
 * revoke one).
 */
import { expect } from "chai";
import type { FaultRule, RequestRecord } from "../../emulator";
import { StackDriver, type DesiredResource, type RunResult, type StepRecord } from "../../harness/stack";
import { startWorld, WORLD_TOKEN, type World } from "../../harness/world";

const ITERATIONS = Math.max(1, Number(process.env.SOAK_ITERATIONS ?? 3));
const SEED = Number(process.env.SOAK_SEED ?? 7);
const MAX_RERUNS = Math.max(1, Number(process.env.SOAK_RERUNS ?? 8));
const MAX_ATTEMPTS = 5; // the client's default (provider/client/retry.ts DEFAULT_MAX_ATTEMPTS)
const REGISTRIES = 10;

function faults(): FaultRule[] {
    return [
        // A burst: the first requests of each phase are refused with Retry-After.
        { status: 429, retryAfterSeconds: 1, times: 3 },
        // Creates whose response is lost after the server acted: the provider must adopt, not orphan.
        { operationId: "registries_create", dropConnection: true, afterHandling: true, rate: 0.2 },
        { operationId: "registries_create", status: 502, afterHandling: true, rate: 0.1 },
        // A create that acted but answered a garbled 201 (once per phase).
        { operationId: "registries_create", malformedBody: "json", rate: 0.3, times: 1 },
        // About 20% 5xx on everything (1 - 0.93 * 0.93 * 0.925).
        { status: 500, rate: 0.07 },
        { status: 502, rate: 0.07 },
        { status: 503, rate: 0.075 },
        // Connections dropped before the server acts.
        { dropConnection: true, rate: 0.05 },
        // A few garbled listings (reads), per phase.
        { operationId: "registries_list", malformedBody: "json", rate: 0.15, times: 2 },
        // Latency spikes.
        { latencyMs: 200, rate: 0.1 },
    ];
}

function desiredStack(declareTierEverywhere: boolean, firstTier = "professional"): DesiredResource[] {
    const out: DesiredResource[] = [];
    for (let r = 0; r < REGISTRIES; r++) {
        const name = `soak-${r}`;
        const tier =
            r === 0
                ? { subscriptionTierSlug: firstTier }
                : declareTierEverywhere
                  ? { subscriptionTierSlug: "professional" }
                  : {};
        out.push({
            kind: "Registry",
            name: `reg-${r}`,
            inputs: { name, region: r % 2 === 0 ? "fra1" : "nyc3", ...tier },
            dependsOn: r === 0 ? [] : ["reg-0"],
        });
        out.push({
            kind: "RegistryCredentials",
            name: `push-${r}`,
            inputs: { registryName: name, readWrite: true, expirySeconds: 3600 },
            dependsOn: [`reg-${r}`],
        });
        out.push({
            kind: "RegistryCredentials",
            name: `pull-${r}`,
            inputs: { registryName: name, readWrite: false, expirySeconds: 0 },
            dependsOn: [`reg-${r}`],
        });
    }
    return out;
}

interface Figures {
    hostCalls: number;
    runs: number;
    reruns: number;
    apiRequests: number;
    faults: Record<string, number>;
    retries: number;
    failures: StepRecord[];
    adoptions: number;
    maxAttemptsSeen: number;
}

describe("soak: the stack lifecycle under injected faults, through the host", function () {
    this.timeout(300_000);
    let world: World;
    let driver: StackDriver;
    const figures: Figures = {
        hostCalls: 0,
        runs: 0,
        reruns: 0,
        apiRequests: 0,
        faults: {},
        retries: 0,
        failures: [],
        adoptions: 0,
        maxAttemptsSeen: 0,
    };
    const retryViolations: string[] = [];
    const seen: string[] = []; // everything a user could see

    /** Requests per step: each API call (method + path) at most MAX_ATTEMPTS times; a create repeated only after a 429. */
    function account(step: string, requests: RequestRecord[]): void {
        figures.apiRequests += requests.length;
        const calls = new Map<string, RequestRecord[]>();
        for (const r of requests) {
            if (r.fault) {
                const kind = r.fault.kind === "status" ? `${r.fault.status}` : r.fault.kind;
                figures.faults[kind] = (figures.faults[kind] ?? 0) + 1;
            }
            const key = `${r.method} ${r.path}`;
            calls.set(key, [...(calls.get(key) ?? []), r]);
        }
        for (const [call, attempts] of calls) {
            figures.retries += attempts.length - 1;
            figures.maxAttemptsSeen = Math.max(figures.maxAttemptsSeen, attempts.length);
            if (attempts.length > MAX_ATTEMPTS)
                retryViolations.push(`${step}: ${call} attempted ${attempts.length} times`);
            if (call === "POST /v2/registries" && attempts.slice(0, -1).some((a) => a.status !== 429)) {
                retryViolations.push(
                    `${step}: a create was repeated after a ${attempts.map((a) => a.status).join(", ")}`,
                );
            }
        }
    }

    /**
     * Runs a phase like a user: again after a failure, at most MAX_RERUNS times. Faults are armed once
     * per phase (the seeded sequence goes on across re-runs, as new faults would hit a real re-run).
     */
    async function converge(phase: string, run: () => Promise<RunResult>): Promise<RunResult[]> {
        const results: RunResult[] = [];
        world.emulator.setFaults(faults());
        for (let attempt = 1; attempt <= MAX_RERUNS; attempt++) {
            const result = await run();
            results.push(result);
            figures.runs++;
            if (attempt > 1) figures.reruns++;
            figures.hostCalls += result.steps.length;
            figures.failures.push(...result.failures);
            for (const f of result.failures) seen.push(f.error ?? "");
            if (result.failures.length === 0 && result.skipped.length === 0) return results;
        }
        const last = results[results.length - 1];
        throw new Error(
            `${phase} did not converge in ${MAX_RERUNS} runs; last failures: ${last.failures.map((f) => `${f.resource} ${f.op}: ${f.error}`).join(" | ")}`,
        );
    }

    function expectState(phase: string, registries: string[]): void {
        const snap = world.emulator.snapshot();
        const names = snap.registries.map((r) => r.name).sort();
        expect(names, `${phase}: registries in the account (no orphan, no duplicate)`).to.deep.equal(
            [...registries].sort(),
        );
        const inState = [...driver.live.values()]
            .filter((r) => r.kind === "Registry")
            .map((r) => r.id)
            .sort();
        expect(inState, `${phase}: registries in the stack's state`).to.deep.equal([...registries].sort());
    }

    before(async function () {
        world = await startWorld({
            emulator: { seed: SEED },
            hostEnv: {
                // No client-side pacing (the injected 429s stand in for the API's limit); short backoff.
                DOCR_MAX_REQUESTS_PER_MINUTE: "1000000",
                DOCR_RETRY_BASE_DELAY_MS: "20",
            },
        });
        driver = new StackDriver(world, {
            concurrency: 1, // one step at a time: requests are attributed to their step, and the seeded fault sequence repeats
            around: async (step, call) => {
                world.emulator.clearRequests();
                try {
                    return await call();
                } finally {
                    account(`${step.op} ${step.resource}`, world.emulator.requests());
                }
            },
        });
    });

    after(async function () {
        await world?.stop();
    });

    for (let iteration = 1; iteration <= ITERATIONS; iteration++) {
        it(`iteration ${iteration}: create, refresh, update tier, destroy converge with no orphan`, async function () {
            const issuedBefore = world.emulator.credentials().length;
            const expected = Array.from({ length: REGISTRIES }, (_, r) => `soak-${r}`);

            await converge("create", () => driver.up(desiredStack(false)));
            expectState("create", expected);
            const issued = world.emulator.credentials().slice(issuedBefore);
            const creds = [...driver.live.values()].filter((r) => r.kind === "RegistryCredentials");
            expect(creds, "credentials in state").to.have.length(2 * REGISTRIES);
            expect(issued, "credentials issued: one per resource, none lost or issued twice").to.have.length(
                2 * REGISTRIES,
            );
            const users = creds.map((c) => {
                const { auths } = JSON.parse(String(c.outputs.dockerConfigJson)) as {
                    auths: Record<string, { auth: string }>;
                };
                return Buffer.from(Object.values(auths)[0].auth, "base64").toString().split(":")[0];
            });
            expect([...users].sort(), "each credential in state is one the API issued").to.deep.equal(
                issued.map((c) => c.username).sort(),
            );
            figures.adoptions += (world.host.output().match(/adopted it/g) ?? []).length;
            world.host.clearOutput();

            const refreshes = await converge("refresh", () => driver.refresh());
            expect(
                refreshes.flatMap((r) => r.gone),
                "refresh must not report an existing resource gone",
            ).to.deep.equal([]);
            expectState("refresh", expected);

            // Update: every registry now declares the tier (an in-place update each: POST subscription).
            const updates = await converge("update", () => driver.up(desiredStack(true)));
            expect(
                updates.flatMap((r) => r.steps).filter((s) => s.op === "update" && !s.error),
                "one successful update per registry that gained a tier",
            ).to.have.length(REGISTRIES - 1);
            expect(world.emulator.snapshot().subscription?.tier).to.equal("professional");
            expectState("update", expected);

            // A downgrade with 10 registries is refused by the API (more than one registry needs Professional):
            // it must fail with a clear error and change nothing. Faults off so the refusal is what fails.
            world.emulator.setFaults([]);
            const downgrade = await driver.up(desiredStack(true, "basic"));
            figures.hostCalls += downgrade.steps.length;
            expect(downgrade.failures.map((f) => `${f.resource} ${f.op}`)).to.deep.equal(["reg-0 update"]);
            expect(downgrade.failures[0].error).to.match(
                /registries_update_subscription.*(not eligible|OverRegistryLimit).*412/,
            );
            seen.push(downgrade.failures[0].error!);
            expect(world.emulator.snapshot().subscription?.tier).to.equal("professional");
            expect(driver.live.get("reg-0")!.outputs.subscriptionTierSlug).to.equal("professional");

            await converge("destroy", () => driver.destroy());
            expect(driver.live.size, "state is empty").to.equal(0);
            expectState("destroy", []);
            seen.push(world.host.output());
        });
    }

    it("kept every API call within the retry bounds, with clear errors, and never showed the token", function () {
        if (figures.runs === 0) this.skip();
        expect(retryViolations).to.deep.equal([]);
        for (const failure of figures.failures) {
            expect(failure.error, `${failure.resource} ${failure.op}`)
                .to.be.a("string")
                .and.not.match(/^(undefined|Unknown Error)$|\[object Object\]/);
            // Names the API operation (or the check that failed) and what happened.
            expect(failure.error).to.match(/registries_\w+: .+|check failed: .+|registry ".+"/);
        }
        const report = [
            "soak figures:",
            `  iterations ${ITERATIONS} (seed ${SEED}), runs ${figures.runs} (re-runs after a failure ${figures.reruns}), host calls ${figures.hostCalls}`,
            `  API requests ${figures.apiRequests}, injected faults ${Object.values(figures.faults).reduce((a, b) => a + b, 0)} (${Object.entries(
                figures.faults,
            )
                .map(([k, v]) => `${k} ${v}`)
                .join(", ")})`,
            `  client retries ${figures.retries} (most attempts of one call: ${figures.maxAttemptsSeen}, bound ${MAX_ATTEMPTS}), adoptions of lost creates ${figures.adoptions}`,
            `  failures surfaced ${figures.failures.length} (each re-run converged), orphans 0, duplicates 0`,
            ...distinct(figures.failures).map((line) => `    ${line}`),
        ].join("\n");
        console.log(report);
        seen.push(report);
        for (const text of seen) expect(text).to.not.include(WORLD_TOKEN);
        for (const r of driver.live.values()) expect(JSON.stringify(r.outputs)).to.not.include(WORLD_TOKEN);
        expect(world.host.output()).to.not.include(WORLD_TOKEN);
    });
});

/** The kinds of failure users saw, with counts (messages shortened, request ids dropped). */
function distinct(failures: StepRecord[]): string[] {
    const counts = new Map<string, number>();
    for (const f of failures) {
        const key = `${f.op}: ${(f.error ?? "")
            .replace(/request [0-9a-f-]+/g, "request …")
            .replace(/soak-\d+/g, "soak-N")
            .slice(0, 150)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} x ${k}`);
}
