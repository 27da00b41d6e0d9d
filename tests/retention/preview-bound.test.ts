/**
 * The preview bounds the apply across processes: `pulumi up` checks in its preview and again in
 * its update, often in another host process, and `pulumi preview` and `pulumi up --skip-preview`
 * are separate processes. Here host A checks (the preview), a push makes one more tag selected,
 * and host B (another process, the same plan directory) checks and runs.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import type { FixtureManifest, RunningEmulator } from "../../emulator";
import type { BoundResource, ProviderHost } from "../../harness/engine";
import { WORLD_TOKEN } from "../../harness/world";
import type { RequestCounts } from "../../provider/resources/retention/requests";
import { startPolicyHost, usePolicyWorld } from "./policy-world";

const BOUND = "bound";
const DAY = 86_400_000;
/** 20 manifests of one tag each, `t0` oldest: keepLast 5 selects t0..t14; a push selects t15 too. */
const RULES = { registryName: BOUND, repositories: ["app"], keepLast: 5, deleteUntaggedManifests: true };

function seed(emu: RunningEmulator, now: number, count = 20): void {
    const manifests: FixtureManifest[] = Array.from({ length: count }, (_, k) => ({
        digest: `sha256:bound-${k}`,
        tags: [`t${k}`],
        updatedAt: new Date(now - (30 - k) * DAY).toISOString(),
    }));
    emu.seed({ registries: [{ name: BOUND, region: "fra1", repositories: [{ name: "app", manifests }] }] });
}

function tagsOf(emu: RunningEmulator): string[] {
    const repo = emu
        .snapshot()
        .registries.find((r) => r.name === BOUND)
        ?.repositories.find((r) => r.name === "app");
    return (repo?.manifests ?? []).flatMap((m) => m.tags);
}

describe("RetentionPolicy: an earlier check in another process bounds the run", function () {
    this.timeout(60_000);
    const current = usePolicyWorld({ name: "bound", gcStepMs: 20, seed: 17 });
    const hosts: ProviderHost[] = [];
    let other: BoundResource;
    let unbounded: BoundResource;
    let hostB: ProviderHost;

    async function policyOn(env: NodeJS.ProcessEnv): Promise<{ host: ProviderHost; policy: BoundResource }> {
        const started = await startPolicyHost(current(), "bound", env);
        hosts.push(started.host);
        return started;
    }

    before(async () => {
        ({ host: hostB, policy: other } = await policyOn({}));
        ({ policy: unbounded } = await policyOn({ DOCR_RETENTION_PREVIEW_WINDOW_MS: "0" }));
    });
    after(async () => {
        for (const host of hosts) await host.stop();
    });
    beforeEach(() => {
        seed(current().emu, current().now);
        hostB.clearOutput();
    });

    const checkFile = () => {
        const dir = join(current().planDir, "checks");
        const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
        expect(files, "one file per policy").to.have.length(1);
        return join(dir, files[0]);
    };
    const push = () => seed(current().emu, current().now, 21); // t20 is new: t15 leaves the newest 5

    it("a tag the rules select after the preview is not deleted by the other process, waits, and the next run deletes it", async () => {
        const { emu, host, policy } = current();
        await policy.check({}, RULES); // host A: the preview
        expect(host.output()).to.contain(`registry "${BOUND}": would delete 15 tags and 15 manifests`);
        const file = readFileSync(checkFile(), "utf8");
        expect(file).to.not.contain(WORLD_TOKEN);
        expect(file).to.not.contain(emu.url);
        push();
        const checked = await other.check({}, RULES); // host B: the update
        expect(hostB.output()).to.match(
            /1 tags and 1 manifests newly selected since the check at \S+ wait for the next pulumi up/,
        );
        expect(hostB.output()).to.contain(`registry "${BOUND}": would delete 15 tags and 15 manifests`);
        const created = await other.create(checked.inputs);
        expect(tagsOf(emu)).to.deep.equal(["t15", "t16", "t17", "t18", "t19", "t20"]);
        expect(created.properties.remainingDeletions as RequestCounts).to.deep.equal({
            requests: 1,
            tags: 1,
            manifests: 1,
            repositories: 0,
        });
        expect(readdirSync(join(current().planDir, "checks")), "the run consumed the bound").to.deep.equal([]);

        // The next pulumi up: its preview (host A) plans afresh, its update (host B) is bounded by that preview.
        const next = await policy.check(created.properties, RULES);
        expect((await other.diff(created.id, created.properties, next.inputs)).changes).to.equal("some");
        const again = await other.check(created.properties, RULES);
        const updated = await other.update(created.id, created.properties, again.inputs);
        expect(tagsOf(emu)).to.deep.equal(["t16", "t17", "t18", "t19", "t20"]);
        expect((updated.properties.remainingDeletions as RequestCounts).requests).to.equal(0);
    });

    it("with DOCR_RETENTION_PREVIEW_WINDOW_MS=0 the run's own check is the bound", async () => {
        const { emu, policy } = current();
        await policy.check({}, RULES);
        push();
        const checked = await unbounded.check({}, RULES);
        await unbounded.create(checked.inputs);
        expect(tagsOf(emu)).to.deep.equal(["t16", "t17", "t18", "t19", "t20"]);
    });

    it("an earlier check older than the window does not bound", async () => {
        const { emu, policy } = current();
        await policy.check({}, RULES);
        const path = checkFile();
        const earlier = JSON.parse(readFileSync(path, "utf8")) as { computedAt: string };
        writeFileSync(
            path,
            JSON.stringify({ ...earlier, computedAt: new Date(Date.now() - 16 * 60_000).toISOString() }),
        );
        push();
        const checked = await other.check({}, RULES);
        expect(hostB.output()).to.not.contain("newly selected");
        await other.create(checked.inputs);
        expect(tagsOf(emu)).to.deep.equal(["t16", "t17", "t18", "t19", "t20"]);
    });

    for (const [what, content] of [
        ["not JSON", '{"key": "bound-'],
        ["another shape", '{"key": 1, "requests": "all"}'],
    ] as const) {
        it(`an earlier file that is ${what} is ignored with a log line, never a crash or a wider plan`, async () => {
            const { emu, policy } = current();
            await policy.check({}, RULES);
            writeFileSync(checkFile(), content);
            push();
            const checked = await other.check({}, RULES);
            expect(checked.failures).to.deep.equal([]);
            expect(hostB.output()).to.match(
                /ignored the earlier check's plan \S+ \(.+\); this check's own plan is the bound/,
            );
            expect(hostB.output()).to.contain(`registry "${BOUND}": would delete 16 tags and 16 manifests`);
            await other.create(checked.inputs);
            expect(tagsOf(emu)).to.deep.equal(["t16", "t17", "t18", "t19", "t20"]);
        });
    }

    it("a check that cannot read the registry still carries the earlier check's bound to the run", async () => {
        const { emu, policy } = current();
        await policy.check({}, RULES);
        push();
        emu.setFaults([{ pathPrefix: `/v2/registries/${BOUND}/repositories`, method: "GET", status: 403, times: 1 }]);
        const checked = await other.check({}, RULES);
        emu.setFaults([]);
        expect(hostB.output()).to.contain(`no plan for registry "${BOUND}" yet`);
        expect(hostB.output()).to.match(/the run deletes at most what the check at \S+ listed/);
        await other.create(checked.inputs);
        expect(tagsOf(emu)).to.deep.equal(["t15", "t16", "t17", "t18", "t19", "t20"]);
    });

    it("checks of two processes at once leave one whole file per policy, no temporary ones", async () => {
        const { policy } = current();
        await Promise.all([
            policy.check({}, RULES),
            other.check({}, RULES),
            policy.check({}, RULES),
            other.check({}, RULES),
        ]);
        const dir = join(current().planDir, "checks");
        expect(readdirSync(dir)).to.have.length(1);
        const file = JSON.parse(readFileSync(checkFile(), "utf8")) as { requests: { manifests: unknown[] }[] };
        expect(file.requests.flatMap((r) => r.manifests)).to.have.length(15);
    });

    it("a bad DOCR_RETENTION_PREVIEW_WINDOW_MS fails the check, naming the setting", async () => {
        const { policy: bad } = await policyOn({ DOCR_RETENTION_PREVIEW_WINDOW_MS: "soon" });
        let failed: unknown;
        await bad.check({}, RULES).catch((err: unknown) => (failed = err));
        expect(String(failed)).to.contain(
            "DOCR_RETENTION_PREVIEW_WINDOW_MS must be a number of milliseconds, 0 or more",
        );
    });
});
