import { expect } from "chai";
import type { RunResult } from "./cli";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { javascriptProgram, type Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { Registry } = require("pulumi-docr");

const config = new pulumi.Config();
const importId = config.get("importId");
const registry = new Registry("registry", {
    name: config.require("registryName"),
    region: config.get("region"),
    subscriptionTierSlug: config.get("tier"),
    adoptExisting: config.getBoolean("adoptExisting"),
}, importId ? { import: importId } : {});
exports.serverUrl = registry.serverUrl;
`;

/** One clear message: no stack trace, and never the token. */
function expectClearFailure(result: RunResult, token: string, message: RegExp): void {
    expect(result.code, result.output).to.not.equal(0);
    expect(result.output).to.match(message);
    expect(result.output, "no stack trace").to.not.match(/\n\s+at [\w.<>]+ \(/);
    expect(result.output, "no token").to.not.include(token);
}

describe("e2e: errors as users see them, and adopting what exists, under the real Pulumi CLI", function () {
    this.timeout(E2E_TIMEOUT_MS);
    const { workspace, track } = useWorkspace();
    let program: Program;
    let emulator: EmulatorProcess;
    const preview = (): Promise<RunResult> => program.pulumi("dev", ["preview"]);
    const config = (key: string, value: string | undefined): Promise<RunResult> =>
        value === undefined
            ? program.pulumi("dev", ["config", "rm", key])
            : program.ok("dev", ["config", "set", key, value]);

    before(async function () {
        program = javascriptProgram(workspace(), "errors", PROGRAM);
        emulator = track(await startEmulatorProcess(program.dir));
        await program.initStack("dev", emulator, { registryName: "acme-errors", region: "fra1", tier: "basic" });
    });
    beforeEach(async function () {
        await emulator.admin("POST", "/reset");
        await program.ok("dev", ["config", "set", "--secret", "digitalocean:token", emulator.token]);
    });

    it("no token: preview fails naming digitalocean:token and the environment variables", async function () {
        await config("digitalocean:token", undefined);
        expectClearFailure(
            await preview(),
            emulator.token,
            /no DigitalOcean API token: .*DIGITALOCEAN_TOKEN.*digitalocean:token/,
        );
    });

    it("a wrong token (401): preview says the API rejected it and where it is set", async function () {
        await program.ok("dev", ["config", "set", "--secret", "digitalocean:token", "dop_v1_not_the_right_one"]);
        const result = await preview();
        expectClearFailure(result, emulator.token, /the API rejected the token .*digitalocean:token/);
        expect(result.output).to.not.include("dop_v1_not_the_right_one");
    });

    it("an unavailable region: preview names the field and the regions offered", async function () {
        await config("region", "xyz9");
        try {
            expectClearFailure(
                await preview(),
                emulator.token,
                /property region value \{xyz9\} has a problem: region: "xyz9" is not available .*available: nyc3, .*fra1/,
            );
        } finally {
            await config("region", "fra1");
        }
    });

    it("a tier the team is not eligible for: preview names the field and the API's reason", async function () {
        const repositories = Array.from({ length: 2 }, (_, i) => ({ name: `app-${i}` }));
        await emulator.admin("POST", "/seed", {
            subscriptionTier: "basic",
            registries: [{ name: "acme-errors", region: "fra1", repositories }],
        });
        await config("tier", "starter");
        try {
            expectClearFailure(
                await preview(),
                emulator.token,
                /subscriptionTierSlug: the team is not eligible for the "starter" tier \(OverRepositoryLimit\)/,
            );
        } finally {
            await config("tier", "basic");
        }
    });

    it("a second registry below professional: preview names the team's registry and the fix", async function () {
        await emulator.admin("POST", "/seed", {
            subscriptionTier: "basic",
            registries: [{ name: "acme-first", region: "fra1" }],
        });
        expectClearFailure(
            await preview(),
            emulator.token,
            /the team already has a registry \(acme-first\) and more than one registry needs the "professional" tier/,
        );
        expect((await emulator.state()).registries.map((r) => r.name)).to.deep.equal(["acme-first"]);
    });

    it("a bare pulumi import <type> <name> <id> (and the import option) still cannot, engine limit pulumi/pulumi#16175: docr-import's file is the way (import.test.ts)", async function () {
        await emulator.admin("POST", "/seed", {
            subscriptionTier: "basic",
            registries: [{ name: "acme-errors", region: "fra1" }],
        });
        for (const type of ["Registry", "Subscription"]) {
            const imported = await program.pulumi("dev", [
                "import",
                `pulumi-nodejs:dynamic/docr:${type}`,
                "imported",
                "acme-errors",
                "--yes",
            ]);
            expect(imported.code, imported.output).to.not.equal(0);
            expect(imported.output).to.include("code must be a string, not undefined");
        }
        await config("importId", "acme-errors");
        try {
            const withOption = await program.pulumi("dev", ["up", "--yes"]);
            expect(withOption.code, withOption.output).to.not.equal(0);
            expect(withOption.output).to.include("code must be a string, not undefined");
        } finally {
            await config("importId", undefined);
        }
        expect(await program.resources("dev", "Registry")).to.deep.equal([]);
    });

    it("preview catches the team's own name, naming both ways forward; adoptExisting manages the registry, and destroy deletes it", async function () {
        await emulator.admin("POST", "/seed", {
            subscriptionTier: "basic",
            registries: [{ name: "acme-errors", region: "fra1" }],
        });
        const refused = await preview();
        expectClearFailure(
            refused,
            emulator.token,
            /registry "acme-errors" is already one of this team's registries: to manage it with this stack, import it \(`npx docr-import --registry acme-errors --out import.json`, then `pulumi import --file import.json --generate-code=false`\) or set adoptExisting: true on the Registry/,
        );
        expect((await emulator.state()).registries.map((r) => r.name)).to.deep.equal(["acme-errors"]);
        await config("adoptExisting", "true");
        try {
            const up = await program.ok("dev", ["up", "--yes"]);
            expect(up.output).to.include("adopted the team's existing registry");
            const [registry] = await program.resources("dev", "Registry");
            expect(registry?.id).to.equal("acme-errors");
            expect(registry?.outputs?.region).to.equal("fra1");
            await program.ok("dev", ["preview", "--expect-no-changes"]);
            await program.ok("dev", ["destroy", "--yes"]);
            expect((await emulator.state()).registries).to.deep.equal([]);
        } finally {
            await config("adoptExisting", undefined);
        }
    });

    it("a replacement of the stack's own registry (same name, another region) still previews cleanly", async function () {
        await program.ok("dev", ["up", "--yes"]);
        await config("region", "ams3");
        try {
            const replaced = await program.ok("dev", ["preview", "--json"]);
            const steps = (JSON.parse(replaced.stdout) as { steps: { op: string }[] }).steps.map((s) => s.op);
            expect(steps).to.include("replace");
            await program.ok("dev", ["up", "--yes"]);
            expect((await emulator.state()).registries.map((r) => [r.name, r.region])).to.deep.equal([
                ["acme-errors", "ams3"],
            ]);
        } finally {
            await config("region", "fra1");
            await program.ok("dev", ["destroy", "--yes"]);
        }
    });

    it("adoptExisting never takes another team's registry: that 409 stays an error", async function () {
        await emulator.admin("POST", "/seed", { takenNames: ["acme-errors"] });
        await config("adoptExisting", "true");
        try {
            const result = await program.pulumi("dev", ["up", "--yes"]);
            expectClearFailure(result, emulator.token, /preview|already taken|not this team's/);
            expect(result.output).to.match(/registry name "acme-errors" is already taken/);
        } finally {
            await config("adoptExisting", undefined);
        }
    });
});
