import { expect } from "chai";
import * as fs from "node:fs";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { javascriptProgram, type Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

/**
 * Each environment's cluster pulls from its own registry; prod's also from a shared base registry.
 * prod's integration names its registry through the Registry (`prod.name`), or, with `prodByString`,
 * as a string with `dependsOn` (how a program says that the string is that Registry).
 */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { ClusterRegistryIntegration, Registry, getKubernetesClustersOutput } = require("pulumi-docr");

const config = new pulumi.Config();
const clusters = getKubernetesClustersOutput().clusters;
const clusterId = (name) => clusters.apply((cs) => cs.find((c) => c.name === name).id);

const base = new Registry("base", { name: "acme-base", region: "nyc3" });
const dev = new Registry("dev", { name: "acme-dev-images", region: "nyc3" });
const prod = new Registry("prod", { name: "acme-prod-images", region: config.require("prodRegion") });

new ClusterRegistryIntegration("dev-pull", {
    clusterIds: [clusterId("acme-dev-cluster")],
    registryNames: [dev.name, base.name],
});
const byString = config.getBoolean("prodByString");
new ClusterRegistryIntegration(
    "prod-pull",
    {
        clusterIds: [clusterId("acme-prod-cluster")],
        registryNames: byString ? ["acme-prod-images", "acme-base"] : [prod.name, base.name],
    },
    byString ? { dependsOn: [prod, base] } : {},
);
`;

const DEV_CLUSTER = "6a1f2e4c-8d3b-4c5a-9e7f-0b1c2d3e4f50";
const PROD_CLUSTER = "7b2e3f5d-9e4c-4d6b-8f80-1c2d3e4f5061";

describe("e2e: a registry replacement keeps every DOKS cluster's pull access (real Pulumi CLI)", function () {
    this.timeout(E2E_TIMEOUT_MS);
    const { workspace, track } = useWorkspace();
    let program: Program;
    let emulator: EmulatorProcess;

    /** Registries per cluster, as the emulator holds them (the API never shows this). */
    async function pairs(): Promise<Record<string, string[]>> {
        const state = await emulator.state();
        return Object.fromEntries(state.clusters.map((c) => [c.id, [...c.registries].sort()]));
    }
    const intact = {
        [DEV_CLUSTER]: ["acme-base", "acme-dev-images"],
        [PROD_CLUSTER]: ["acme-base", "acme-prod-images"],
    };
    const prodRegion = async () =>
        (await emulator.state()).registries.find((r) => r.name === "acme-prod-images")?.region;

    /** A preview that shows prod's registry replaced and prod's integration (only) updated. */
    async function expectReviewable(): Promise<void> {
        const preview = await program.ok("dev", ["preview", "--json"]);
        const steps = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] }).steps;
        const ops = (name: string) => steps.filter((s) => s.urn.endsWith(`::${name}`)).map((s) => s.op);
        const summary = steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`).join(", ");
        expect(ops("prod"), summary).to.deep.equal(["replace"]);
        expect(ops("prod-pull"), summary).to.deep.equal(["update"]);
        // Unchanged resources are not listed.
        expect(ops("dev-pull"), summary).to.deep.equal([]);
        expect(ops("dev"), summary).to.deep.equal([]);
    }

    /** Prod's registry moved to `region`: reviewable at preview, its pairs intact after the up, then no changes. */
    async function expectReplacementKeepsPairs(region: string): Promise<void> {
        await program.ok("dev", ["config", "set", "prodRegion", region]);
        await expectReviewable();
        await program.ok("dev", ["up", "--yes"]);
        expect(await prodRegion()).to.equal(region);
        expect(await pairs()).to.deep.equal(intact);
        await program.ok("dev", ["preview", "--expect-no-changes"]);
    }

    before(async function () {
        program = javascriptProgram(workspace(), "doks-replacement", PROGRAM);
        emulator = track(await startEmulatorProcess(program.dir));
        const fixture = program.installedFixture("doks-fixture.json");
        await emulator.admin("POST", "/seed", JSON.parse(fs.readFileSync(fixture, "utf8")));
        await program.initStack("dev", emulator, { prodRegion: "fra1" });
        await program.ok("dev", ["up", "--yes"]);
        expect(await pairs()).to.deep.equal(intact);
    });

    it("the name from the Registry: the preview shows prod's integration changing, the up keeps its pairs, the next preview shows none", async function () {
        await expectReplacementKeepsPairs("ams3");
    });

    it("the name as a string with dependsOn: the same", async function () {
        await program.ok("dev", ["config", "set", "prodByString", "true"]);
        await program.ok("dev", ["preview", "--expect-no-changes"]);
        await expectReplacementKeepsPairs("fra1");
    });

    it("deleted and created again outside Pulumi: refresh sees it, up restores the pairs", async function () {
        await emulator.api("DELETE", "/v2/registries/acme-prod-images");
        await emulator.api("POST", "/v2/registries", { name: "acme-prod-images", region: "fra1" });
        expect((await pairs())[PROD_CLUSTER]).to.deep.equal(["acme-base"]);
        const refresh = await program.ok("dev", ["refresh", "--yes"]);
        expect(refresh.output).to.match(/registry "acme-prod-images" was created again/);
        await program.ok("dev", ["up", "--yes"]);
        expect(await pairs()).to.deep.equal(intact);
        await program.ok("dev", ["preview", "--expect-no-changes"]);
    });

    it("destroy leaves no pair", async function () {
        await program.ok("dev", ["destroy", "--yes"]);
        expect(await pairs()).to.deep.equal({ [DEV_CLUSTER]: [], [PROD_CLUSTER]: [] });
        expect((await emulator.state()).registries).to.deep.equal([]);
    });
});
