/**
 * RetentionPolicy spends fewer requests and resumes, through the real dynamic-provider host:
 * a manifest whose tags all go is one DELETE, a repository only when asked, a budget per run that
 * the next `up` continues, the preview as an upper bound, and the whole plan in a file.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import type { FixtureManifest, RunningEmulator } from "../../emulator";
import type { BoundResource, Props, ProviderHost } from "../../harness/engine";
import type { RequestCounts } from "../../provider/resources/retention/requests";
import type { RepositoryRequests } from "../../provider/resources/retention/select";
import { usePolicyWorld } from "./policy-world";
import { expectedDeletions, REGISTRY, RULES } from "./fixture";

const BULK = "bulk";
const remaining = (props: Props) => props.remainingDeletions as RequestCounts;
const DAY = 86_400_000;

/** Manifest k of n carries three tags (`bK`, `bK-amd64`, `bK-arm64`), pushed n - k days ago. */
function triples(n: number, now: number, extra = 0): FixtureManifest[] {
    return Array.from({ length: n + extra }, (_, k) => ({
        digest: `sha256:bulk-${k}`,
        tags: [`b${k}`, `b${k}-amd64`, `b${k}-arm64`],
        updatedAt: new Date(now - (n - k) * DAY).toISOString(),
        blobs: [{ digest: `sha256:layer-${k}`, sizeBytes: 1000 }],
    }));
}

function seedBulk(emu: RunningEmulator, now: number, extra = 0): void {
    emu.seed({
        registries: [
            {
                name: BULK,
                region: "fra1",
                repositories: [
                    { name: "app", manifests: triples(100, now, extra) },
                    {
                        name: "old",
                        manifests: Array.from({ length: 10 }, (_, k) => ({
                            digest: `sha256:old-${k}`,
                            tags: [`o${k}`],
                            updatedAt: new Date(now - (200 - k) * DAY).toISOString(),
                        })),
                    },
                ],
            },
        ],
    });
}

function repoOf(emu: RunningEmulator, name: string) {
    return emu
        .snapshot()
        .registries.find((r) => r.name === BULK)
        ?.repositories.find((r) => r.name === name);
}

describe("RetentionPolicy: fewer requests, a budget per run, the preview as an upper bound", function () {
    this.timeout(60_000);
    const current = usePolicyWorld({ name: "resume", gcStepMs: 20, seed: 13 });
    let emu: RunningEmulator;
    let host: ProviderHost;
    let policy: BoundResource;
    let now: number;
    beforeEach(() => {
        ({ emu, host, policy, now } = current());
        seedBulk(emu, now);
        emu.clearRequests();
    });

    /** keepLast 15 keeps the 5 newest manifests (3 tags each): 95 manifests and 285 tags go. */
    const appRules = (extra: Record<string, unknown> = {}) => ({
        registryName: BULK,
        repositories: ["app"],
        keepLast: 15,
        deleteUntaggedManifests: true,
        ...extra,
    });
    const deletes = () => emu.requests().filter((r) => r.method === "DELETE");

    it("a manifest whose every tag goes is one DELETE by digest, its tags with it", async () => {
        const { inputs } = await policy.check({}, appRules());
        emu.clearRequests();
        const created = await policy.create(inputs);
        expect(deletes().map((r) => r.operationId)).to.deep.equal(
            Array(95).fill("registries_delete_repositoryManifest"),
        );
        expect(created.properties).to.include({ deletedTags: 285, deletedManifests: 95, deletedRepositories: 0 });
        const left = repoOf(emu, "app")!
            .manifests.map((m) => m.digest)
            .sort();
        expect(left).to.deep.equal([95, 96, 97, 98, 99].map((k) => `sha256:bulk-${k}`));
        expect(repoOf(emu, "old")!.manifests).to.have.length(10);
    });

    it("deletes a whole repository only with deleteEmptiedRepositories (validated at check)", async () => {
        const oldRules = (extra: Record<string, unknown> = {}) => ({
            registryName: BULK,
            repositories: ["old"],
            keepLast: 0,
            deleteUntaggedManifests: true,
            ...extra,
        });
        const bad = await policy.check(
            {},
            oldRules({ deleteEmptiedRepositories: true, deleteUntaggedManifests: false }),
        );
        expect(bad.failures.map((f) => f.property)).to.deep.equal(["deleteEmptiedRepositories"]);
        expect(bad.failures[0].reason).to.contain("needs deleteUntaggedManifests: true");
        expect(emu.requests()).to.have.length(0);

        const plain = await policy.check({}, oldRules());
        emu.clearRequests();
        await policy.create(plain.inputs);
        expect(deletes().map((r) => r.operationId)).to.deep.equal(
            Array(10).fill("registries_delete_repositoryManifest"),
        );

        seedBulk(emu, now);
        const asked = await policy.check({}, oldRules({ deleteEmptiedRepositories: true }));
        emu.clearRequests();
        const created = await policy.create(asked.inputs);
        expect(deletes().map((r) => r.operationId)).to.deep.equal(["registries_delete_repository"]);
        expect(repoOf(emu, "old")).to.equal(undefined);
        expect(repoOf(emu, "app")!.manifests).to.have.length(100);
        expect(created.properties).to.include({ deletedRepositories: 1, deletedManifests: 10, deletedTags: 10 });
    });

    it("a plan over maxDeletionsPerRun deletes what fits, says what is left, and the next runs continue", async () => {
        const rules = appRules({ maxDeletionsPerRun: 40 });
        const first = await policy.check({}, rules);
        expect((first.inputs.previewPlan as RepositoryRequests[]).flatMap((r) => r.manifests)).to.have.length(40);
        const estimate = host.output().match(/the run costs ~(\d+) requests \((\d+) listings \+ 40 deletions\)/);
        expect(estimate, host.output()).to.not.equal(null);
        expect(host.output()).to.contain("55 more deletions (165 tags, 55 manifests) exceed maxDeletionsPerRun (40)");
        emu.clearRequests();
        let props = (await policy.create(first.inputs)).properties;
        // The preview's estimate is what the run sent.
        expect(emu.requests()).to.have.length(Number(estimate![1]));
        expect(deletes()).to.have.length(40);
        expect(props.remainingDeletions).to.deep.equal({ requests: 55, tags: 165, manifests: 55, repositories: 0 });
        expect(props.freedBytes).to.equal(40 * 1000); // the 40 manifests' own layers, not the whole plan's
        expect(host.output()).to.contain("55 deletions (165 tags, 55 manifests) left for the next pulumi up");
        expect(host.output()).to.not.contain("newly selected"); // past the budget is not new since the preview

        const id = "resume-id";
        for (const [sent, left] of [
            [40, 15],
            [15, 0],
        ] as const) {
            const next = await policy.check(props, rules);
            emu.clearRequests();
            expect((await policy.diff(id, props, next.inputs)).changes).to.equal("some");
            expect(emu.requests()).to.have.length(0); // diff is offline
            props = (await policy.update(id, props, next.inputs)).properties;
            expect(deletes()).to.have.length(sent);
            expect(remaining(props).requests).to.equal(left);
        }
        const done = await policy.check(props, rules);
        expect((await policy.diff(id, props, done.inputs)).changes).to.equal("none");
        expect(repoOf(emu, "app")!.manifests).to.have.length(5);
    });

    it("the preview is an upper bound: a tag the rules select after a push waits for the next run, and says so", async () => {
        const previewed = await policy.check({}, appRules());
        // A push between preview and up: manifest 95's tags leave the newest 15.
        seedBulk(emu, now, 1);
        host.clearOutput();
        const created = await policy.create(previewed.inputs);
        const digests = repoOf(emu, "app")!.manifests.map((m) => m.digest);
        expect(digests).to.include("sha256:bulk-95");
        expect(digests).to.have.length(6);
        expect(created.properties.remainingDeletions).to.deep.equal({
            requests: 1,
            tags: 3,
            manifests: 1,
            repositories: 0,
        });
        expect(host.output()).to.contain(
            "3 tags and 1 manifests newly selected since the preview wait for the next pulumi up",
        );

        const next = await policy.check(created.properties, appRules());
        expect((await policy.diff(created.id, created.properties, next.inputs)).changes).to.equal("some");
        emu.clearRequests();
        const updated = await policy.update(created.id, created.properties, next.inputs);
        expect(deletes().map((r) => r.path)).to.deep.equal([
            `/v2/registries/${BULK}/repositories/app/digests/sha256:bulk-95`,
        ]);
        expect(remaining(updated.properties).requests).to.equal(0);
    });

    it("the whole plan, every tag and digest, is in the file the log points to, at preview and after the run", async () => {
        const inputs = { registryName: REGISTRY, ...RULES };
        const expected = expectedDeletions(now);
        const { inputs: checked } = await policy.check({}, inputs);
        const path = /the whole plan \(every tag and digest\): (\S+\.json)/.exec(host.output())?.[1];
        expect(path, host.output()).to.be.a("string");
        const read = (file: string) =>
            JSON.parse(readFileSync(file, "utf8")) as {
                planDigest: string;
                repositories: { name: string; tags: string[]; manifests: string[] }[];
            };
        const file = read(path!);
        expect(file.planDigest).to.equal(checked.planDigest);
        const normal = (rs: { name: string; tags: string[]; manifests: string[] }[]) =>
            rs
                .map((r) => ({ name: r.name, tags: [...r.tags].sort(), manifests: [...r.manifests].sort() }))
                .sort((a, b) => (a.name < b.name ? -1 : 1));
        expect(normal(file.repositories)).to.deep.equal(normal(expected));
        expect(expected.every((r) => r.tags.length > 5)).to.equal(true); // more than the log's five names
        const created = await policy.create(checked);
        expect(normal(read(String(created.properties.planFile)).repositories)).to.deep.equal(normal(expected));
    });
});
