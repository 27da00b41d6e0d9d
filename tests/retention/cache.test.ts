/**
 * What a check costs at scale, through the real dynamic-provider host: a check reuses the
 * inventory of every repository whose summary (repositoriesV2) did not change; the run that
 * deletes lists afresh what it deletes from; a bound set by an earlier check does not chain.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import type { FixtureManifest, RequestRecord, RunningEmulator } from "../../emulator";
import type { BoundResource, ProviderHost } from "../../harness/engine";
import { WORLD_TOKEN } from "../../harness/world";
import { startPolicyHost, usePolicyWorld } from "./policy-world";

const SCALE = "scale";
const DAY = 86_400_000;
/**
 * Covered: app-0..app-3, 60 manifests each, 5 of them untagged (keepLast 10: 45 tags and 50
 * manifests go in each); `other` is outside the globs (its layers are read). */
const RULES = {
    registryName: SCALE,
    repositories: ["app-*"],
    keepLast: 10,
    olderThanDays: 1,
    deleteUntaggedManifests: true,
    dryRun: true,
};
const COVERED = ["app-0", "app-1", "app-2", "app-3"];

function manifests(repo: string, now: number, count = 60, from = 0): FixtureManifest[] {
    return Array.from({ length: count }, (_, i) => {
        const k = from + i;
        return {
            digest: `sha256:${repo}-${k}`,
            tags: k % 12 === 5 ? [] : [`b${k}`],
            updatedAt: new Date(now - (100 - k) * DAY).toISOString(),
            blobs: [{ digest: `sha256:${repo}-layer-${k}`, sizeBytes: 1000 + k }],
        };
    });
}

function seed(emu: RunningEmulator, now: number, names = [...COVERED, "other"]): void {
    emu.seed({
        registries: [
            {
                name: SCALE,
                region: "fra1",
                repositories: names.map((name) => ({ name, manifests: manifests(name, now) })),
            },
        ],
    });
}

/** API requests since the last clear, as `METHOD operation`. */
/**
 * What the policy asked of the registry's content. The team reads of the preview's monthly-saving
 * line (cost/retention-saving.ts: the team's listing and the tier options, shared with the run's
 * other checks) are not the inventory's; `teamReads` counts them.
 */
const TEAM_READS = new Set(["registries_list", "registries_get_options", "registries_get_subscription"]);

function sent(emu: RunningEmulator): RequestRecord[] {
    return emu.requests().filter((r) => !TEAM_READS.has(r.operationId));
}

function teamReads(emu: RunningEmulator): number {
    return emu.requests().filter((r) => TEAM_READS.has(r.operationId)).length;
}

function listingsOf(records: RequestRecord[], repo: string): number {
    return records.filter((r) => r.method === "GET" && r.path.includes(`/repositories/${encodeURIComponent(repo)}/`))
        .length;
}

describe("RetentionPolicy at scale: previews reuse unchanged repositories' inventories", function () {
    this.timeout(60_000);
    const current = usePolicyWorld({ name: "scale", gcStepMs: 20, seed: 23 });
    const hosts: ProviderHost[] = [];
    let other: BoundResource;
    let hostB: ProviderHost;

    async function policyOn(env: NodeJS.ProcessEnv): Promise<{ host: ProviderHost; policy: BoundResource }> {
        const started = await startPolicyHost(current(), SCALE, env);
        hosts.push(started.host);
        return started;
    }

    before(async () => {
        ({ host: hostB, policy: other } = await policyOn({}));
    });
    after(async () => {
        for (const host of hosts) await host.stop();
    });
    beforeEach(() => {
        seed(current().emu, current().now);
        current().emu.clearRequests();
        hostB.clearOutput();
    });

    it("a second check of the unchanged registry, in another process, sends one request and plans the same", async () => {
        const { emu, policy } = current();
        const cold = await policy.check({}, RULES);
        // The repositories listing, tags and manifests of each covered repository, the manifests of `other`.
        expect(sent(emu)).to.have.length(1 + 2 * COVERED.length + 1);
        emu.clearRequests();
        const warm = await other.check({}, RULES);
        expect(sent(emu).map((r) => r.operationId)).to.deep.equal(["registries_list_repositoriesV2"]);
        // Issue 21's bound for a warm preview is 4 requests, the saving line's team reads included.
        expect(1 + teamReads(emu)).to.be.at.most(4);
        expect(warm.inputs.planDigest).to.equal(cold.inputs.planDigest);
        expect(hostB.output()).to.contain("reused the inventories of 5 unchanged repositories (5 in the registry)");
        expect(hostB.output()).to.contain(`registry "${SCALE}": dry run, would delete 180 tags and 200 manifests`);
    });

    it("a push to one repository: the next check lists that one again, and plans what the push made deletable", async () => {
        const { emu, policy, now } = current();
        const cold = await policy.check({}, RULES);
        emu.seed({
            registries: [
                {
                    name: SCALE,
                    repositories: [{ name: "app-2", manifests: manifests("app-2", now, 61) }],
                },
            ],
        });
        emu.clearRequests();
        const next = await other.check({}, RULES);
        const records = sent(emu);
        expect(records).to.have.length(3);
        expect(listingsOf(records, "app-2")).to.equal(2);
        expect(next.inputs.planDigest).to.not.equal(cold.inputs.planDigest);
        // The digest is the fresh plan's; what the push selected waits, bounded by the earlier check.
        expect(hostB.output()).to.match(/1 tags and 1 manifests newly selected since the check at/);
    });

    it("a dry-run up of a previewed registry: the update's check and the run send one request each", async () => {
        const { emu, policy } = current();
        await policy.check({}, RULES); // the preview
        emu.clearRequests();
        const checked = await other.check({}, RULES); // the update's check
        const created = await other.create(checked.inputs);
        expect(sent(emu).map((r) => r.operationId)).to.deep.equal([
            "registries_list_repositoriesV2",
            "registries_list_repositoriesV2",
        ]);
        expect(created.properties.plannedDeletions).to.include({ tags: 180, manifests: 200 });
    });

    it("the run that deletes lists afresh what it deletes from, deletes exactly the preview's plan, within the stated requests", async () => {
        const { emu, policy } = current();
        const rules = { ...RULES, dryRun: false };
        const preview = await policy.check({}, rules);
        // A cache that lies (same summary, other content) must not reach the deletions.
        const dir = join(current().planDir, "inventories");
        for (const file of readdirSync(dir)) {
            const content = JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
            writeFileSync(
                join(dir, file),
                JSON.stringify({ ...content, manifests: [], ...("tags" in content ? { tags: [] } : {}) }),
            );
        }
        const checked = await other.check({}, rules);
        expect(checked.inputs.previewPlan, "the update's check, from the lying cache, plans nothing").to.deep.equal([]);
        const previewPlan: unknown = preview.inputs.previewPlan;
        const bound = { ...checked.inputs, previewPlan };
        emu.clearRequests();
        const created = await other.create(bound);
        const records = sent(emu);
        const deletions = records.filter((r) => r.method === "DELETE").length;
        expect(created.properties.deletedTags).to.equal(180);
        expect(created.properties.deletedManifests).to.equal(200);
        for (const repo of COVERED) expect(listingsOf(records, repo), repo).to.equal(3); // tags + manifests, manifests again
        expect(listingsOf(records, "other"), "not deleted from: from the cache").to.equal(0);
        // (deletions + listings of the repositories it touches + the inventory) × 1.1
        expect(records.length).to.be.at.most(Math.ceil((deletions + COVERED.length + 1 + 2 * COVERED.length) * 1.1));
    });

    it("a bound does not chain: a check bounded by an earlier one keeps its time, and a check past the window plans afresh", async () => {
        const { emu, now } = current();
        const windowMs = 4_000;
        const { host, policy } = await policyOn({ DOCR_RETENTION_PREVIEW_WINDOW_MS: String(windowMs) });
        const rules = { ...RULES, dryRun: false };
        await policy.check({}, rules);
        const checks = join(current().planDir, "checks");
        const first = (JSON.parse(readFileSync(join(checks, readdirSync(checks)[0]), "utf8")) as { computedAt: string })
            .computedAt;
        // A push: b60 is new, so b50 leaves the newest 10 in app-0.
        emu.seed({
            registries: [{ name: SCALE, repositories: [{ name: "app-0", manifests: manifests("app-0", now, 61) }] }],
        });
        await new Promise((r) => setTimeout(r, windowMs / 2));
        host.clearOutput();
        await policy.check({}, rules);
        const until = new Date(Date.parse(first) + windowMs).toISOString();
        expect(host.output()).to.contain(`newly selected since the check at ${first}`);
        expect(host.output()).to.contain(`a check after ${until} plans afresh`);
        const second = JSON.parse(readFileSync(join(checks, readdirSync(checks)[0]), "utf8")) as { computedAt: string };
        expect(second.computedAt, "the bounded check keeps the earlier check's time").to.equal(first);
        await new Promise((r) => setTimeout(r, windowMs / 2 + 500));
        host.clearOutput();
        await policy.check({}, rules);
        expect(host.output()).to.not.contain("newly selected");
        expect(host.output()).to.contain("would delete 181 tags and 201 manifests");
    });

    it("repositories globs that match nothing: the preview says so, naming the registry's repositories", async () => {
        const { host, policy } = current();
        await policy.check({}, { ...RULES, repositories: ["web/*"] });
        expect(host.output()).to.contain(
            `retention: repositories ["web/*"] match none of the 5 repositories of registry "${SCALE}": app-0, app-1, app-2, app-3, other`,
        );
    });

    it("a repository name from the API with control characters reaches the log written out, never raw", async () => {
        const { emu, host, policy } = current();
        const evil = "evil\u001b[31m\u202ered\r\nforged";
        emu.setFaults([
            {
                operationId: "registries_list_repositoriesV2",
                body: {
                    repositories: [{ registry_name: SCALE, name: evil, tag_count: 0, manifest_count: 0 }],
                    meta: { total: 1 },
                },
            },
        ]);
        try {
            await policy.check({}, { ...RULES, repositories: ["web/*"] });
        } finally {
            emu.setFaults([]);
        }
        expect(host.output()).to.contain("evil\\u001b[31m\\u202ered\\u000d\\u000aforged");
        expect(host.output()).to.not.include("\u001b").and.not.include("\u202e");
    });

    it("cached inventories hold no token and no API URL, one file per repository", async () => {
        const { emu, policy } = current();
        await policy.check({}, RULES);
        const dir = join(current().planDir, "inventories");
        const files = readdirSync(dir);
        expect(files).to.have.length(5);
        for (const file of files) {
            const text = readFileSync(join(dir, file), "utf8");
            expect(text).to.not.contain(WORLD_TOKEN);
            expect(text).to.not.contain(emu.token);
            expect(text).to.not.contain(emu.url);
        }
    });
});
