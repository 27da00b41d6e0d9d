/**
 * Cost at preview and the policy pack (examples/policy-pack) under the real Pulumi CLI: one program,
 * one stack, a few previews. The pack's policies read `--policy-pack-config` (the example's
 * policy-config.json: regions fra1, $10 a month, push credentials at most 7200 s).
 */
import { expect } from "chai";
import * as path from "node:path";
import { GIB } from "../../provider/shared/cost";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { exampleProgram, javascriptProgram, type Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { Registry, RegistryCredentials, RetentionPolicy } = require("pulumi-docr");

const config = new pulumi.Config();
const registry = new Registry("registry", {
    name: "acme-gov",
    region: config.require("region"),
    subscriptionTierSlug: config.require("tier"),
});
new RegistryCredentials("push", { registryName: registry.name, readWrite: true, expirySeconds: config.requireNumber("pushExpiry") });
new RegistryCredentials("pull", { registryName: registry.name, expirySeconds: config.requireNumber("pullExpiry") });
if (config.requireBoolean("retention")) new RetentionPolicy("cleanup", { registryName: registry.name, keepLast: 10, deleteUntaggedManifests: true, dryRun: true });
`;

const UPGRADE = "registry plan: basic $5.00 → professional $20.00 a month (+$15.00)";
const UPGRADE_TOTALS =
    "registry plan: at the team's current storage of 7 GiB: basic $5.04 (5 GiB included, 2 GiB over at $0.02/GiB: $0.04) → " +
    "professional $20.00 (100 GiB included) a month in all (+$14.96)";

const VIOLATIONS = {
    regions: 'Registry "registry": region "sfo3" is not allowed; allowed: fra1 (regions)',
    budget:
        'Registry "registry": plan "professional" costs an estimated $20.00 a month (plan plus storage overage at the ' +
        "team's current storage); the budget is $10.00 a month (maxMonthlyUsd)",
    push: 'RegistryCredentials "push": push credentials (readWrite) expire after expirySeconds 86400; the limit is 7200 seconds (maxPushExpirySeconds)',
    pull: 'RegistryCredentials "pull": pull credentials with expirySeconds 0 never expire; set expirySeconds (a leaked credential then stops working)',
    retention:
        'Registry "registry": registry "acme-gov" has no RetentionPolicy; at least one is required (its registryName set to this registry\'s name)',
};

/** The CLI wraps long lines: compare with whitespace runs made one space. */
function flat(text: string): string {
    return text.replace(/\s+/g, " ");
}

describe("e2e: cost at preview and the pulumi-docr policy pack under the real Pulumi CLI", function () {
    this.timeout(E2E_TIMEOUT_MS);
    const { workspace, track } = useWorkspace();
    let program: Program;
    let pack: Program;
    let emulator: EmulatorProcess;
    let policyArgs: string[];

    const configure = async (values: Record<string, string>): Promise<void> => {
        for (const [key, value] of Object.entries(values)) await program.ok("gov", ["config", "set", key, value]);
    };

    before(async function () {
        program = javascriptProgram(workspace(), "governance", PROGRAM);
        pack = exampleProgram(workspace(), "policy-pack");
        policyArgs = ["--policy-pack", pack.dir, "--policy-pack-config", path.join(pack.dir, "policy-config.json")];
        emulator = track(await startEmulatorProcess(program.dir));
        await program.initStack("gov", emulator);
        await configure({ region: "fra1", tier: "basic", pushExpiry: "3600", pullExpiry: "3600", retention: "true" });
    });

    it("a program within every policy goes up under the pack; the first registry's plan is priced", async function () {
        const up = await program.ok("gov", ["up", "--yes", ...policyArgs]);
        expect(flat(up.stdout)).to.include("registry plan: no plan → basic $5.00 a month (+$5.00)");
        expect(up.stdout).to.not.match(/\[(mandatory|advisory)\]/);
        expect((await emulator.state()).subscription?.tier).to.equal("basic");
    });

    it("a tier change shows its monthly cost in preview, preview --diff and preview --json", async function () {
        // 7 GiB in the registry: 2 GiB beyond what basic includes.
        const blobs = (i: number) => [{ digest: `sha256:${String(i).padStart(64, "0")}`, sizeBytes: GIB }];
        const manifests = Array.from({ length: 7 }, (_, i) => ({ tags: [`v${i}`], blobs: blobs(i) }));
        await emulator.admin("POST", "/seed", {
            registries: [{ name: "acme-gov", repositories: [{ name: "api", manifests }] }],
        });
        await configure({ tier: "professional" });

        const plain = flat((await program.ok("gov", ["preview"])).stdout);
        expect(plain).to.include(`info: [runtime] ${UPGRADE}`);
        expect(plain).to.include(UPGRADE_TOTALS);
        const diff = flat((await program.ok("gov", ["preview", "--diff"])).output);
        expect(diff).to.include(UPGRADE).and.include(UPGRADE_TOTALS);
        expect(diff).to.match(/~ subscriptionTierSlug ?: "basic" => "professional"/);
        // The estimate the last up stored (the registry was empty then), and the new one.
        expect(diff).to.match(/~ estimatedMonthlyCostCents ?: 500 => 2000/);
        const json = JSON.parse((await program.ok("gov", ["preview", "--json"])).stdout) as {
            diagnostics?: { message: string; severity: string }[];
        };
        const messages = (json.diagnostics ?? []).map((d) => d.message.trim());
        expect(messages).to.include(`info: [runtime] ${UPGRADE}`).and.include(`info: [runtime] ${UPGRADE_TOTALS}`);
    });

    it("violations: mandatory ones fail the preview and block the up; advisory ones are shown", async function () {
        await configure({ region: "sfo3", pushExpiry: "86400", pullExpiry: "0", retention: "false" });
        const preview = await program.pulumi("gov", ["preview", ...policyArgs]);
        expect(preview.code, preview.output).to.not.equal(0);
        const shown = flat(preview.output);
        for (const message of Object.values(VIOLATIONS)) expect(shown).to.include(message);
        expect(shown)
            .to.match(/\[mandatory\] docr-allowed-regions/)
            .and.match(/\[advisory\] docr-pull-credentials-expire/);

        const up = await program.pulumi("gov", ["up", "--yes", ...policyArgs]);
        expect(up.code, up.output).to.not.equal(0);
        expect(flat(up.output)).to.include(VIOLATIONS.budget);
        const state = await emulator.state();
        expect(state.subscription?.tier, "the up was blocked").to.equal("basic");
        expect(state.registries.map((r) => r.region)).to.deep.equal(["fra1"]);
    });

    it("the fixed program goes up under the pack, with only the advisory violation shown", async function () {
        await configure({ region: "fra1", tier: "basic", pushExpiry: "7200", retention: "true" });
        const up = await program.ok("gov", ["up", "--yes", ...policyArgs]);
        const shown = flat(up.output);
        expect(shown)
            .to.include(VIOLATIONS.pull)
            .and.match(/\[advisory\] docr-pull-credentials-expire/);
        expect(shown).to.not.match(/\[mandatory\]/);
        const push = (await program.resources("gov", "RegistryCredentials")).find((r) => r.urn.endsWith("::push"));
        expect(push?.outputs?.expirySeconds).to.equal(7200);
    });

    it("a RetentionPolicy's preview prices what its deletions save in storage overage", async function () {
        // 12 GiB more on basic (5 GiB included); keepLast 10 selects the two oldest, 1 GiB each.
        const manifests = Array.from({ length: 12 }, (_, i) => ({
            tags: [`v${i}`],
            updatedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
            blobs: [{ digest: `sha256:${String(100 + i).padStart(64, "0")}`, sizeBytes: GIB }],
        }));
        await emulator.admin("POST", "/seed", {
            registries: [{ name: "acme-gov", repositories: [{ name: "api", manifests }] }],
        });
        // The last up checked this policy moments ago, and a check within the window plans no more than that
        // one did (docs/cleanup.md); 0 plans afresh.
        const fresh = { DOCR_RETENTION_PREVIEW_WINDOW_MS: "0" };
        const preview = flat((await program.ok("gov", ["preview"], fresh)).stdout);
        // Team storage counts the earlier test's blobs too (no garbage collection since): 2 GiB less after this one.
        const saving =
            /retention: registry "acme-gov": freeing ~2 GiB once garbage-collected saves \$0\.04 a month in storage overage \(team storage (\d+) GiB → (\d+) GiB; basic includes 5 GiB, \$0\.02\/GiB beyond\)/.exec(
                preview,
            );
        expect(saving, preview).to.not.equal(null);
        expect(Number(saving?.[1]) - Number(saving?.[2])).to.equal(2);
    });
});
