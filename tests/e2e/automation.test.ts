import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { exampleProgram, type Program } from "./program";
import { E2E_TIMEOUT_MS, useWorkspace } from "./suite";

interface Summary {
    teams: Record<string, Record<string, unknown>>;
    removed: string[];
}

describe("e2e: examples/automation, a self-service platform on the Automation API (inline program, file backend)", function () {
    this.timeout(E2E_TIMEOUT_MS);
    const { workspace, track } = useWorkspace();
    let program: Program;
    /** Each team is its own DigitalOcean team: one emulator each. */
    let payments: EmulatorProcess;
    let search: EmulatorProcess;

    const team = (emulator: EmulatorProcess, registry: string, region: string, tier: string, variable: string) => ({
        registry,
        region,
        tier,
        keepLast: 10,
        tokenVariable: variable,
        apiUrl: emulator.url,
    });

    /**
     * `npm run platform -- teams.json`, as the example's docs say, with the Node under test first on
     * PATH (npm, ts-node and so the driver and its inline program run on it), and without the e2e
     * workspace's skip of the Automation API's CLI version check.
     */
    function platform(teams: Record<string, unknown>): Promise<Summary> {
        fs.writeFileSync(path.join(program.dir, "teams.json"), JSON.stringify(teams, null, 2));
        const env = workspace().environment({ PAYMENTS_DO_TOKEN: payments.token, SEARCH_DO_TOKEN: search.token });
        delete env.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK;
        return new Promise((resolve, reject) => {
            const child = spawn("npm", ["run", "--silent", "platform", "--", "teams.json"], {
                cwd: program.dir,
                env,
                stdio: ["ignore", "pipe", "pipe"],
            });
            let stdout = "";
            let output = "";
            child.stdout.on("data", (d: Buffer) => ((stdout += d.toString()), (output += d.toString())));
            child.stderr.on("data", (d: Buffer) => (output += d.toString()));
            child.on("error", reject);
            child.on("close", (code) => {
                if (code !== 0) return reject(new Error(`npm run platform exited ${code}:\n${output}`));
                for (const token of [payments.token, search.token]) {
                    if (output.includes(token)) return reject(new Error("a token in the platform's output"));
                }
                resolve(JSON.parse(stdout.trim().split("\n").pop()!) as Summary);
            });
        });
    }

    const registries = async (emulator: EmulatorProcess) =>
        (await emulator.state()).registries.map((r) => [r.name, r.region]);

    before(async function () {
        program = exampleProgram(workspace(), "automation");
        payments = track(await startEmulatorProcess(program.dir));
        search = track(await startEmulatorProcess(program.dir));
    });

    it("creates two teams, changes one (tier, region), removes the other, then the last: nothing left behind", async function () {
        const created = await platform({
            payments: team(payments, "acme-payments", "nyc3", "basic", "PAYMENTS_DO_TOKEN"),
            search: team(search, "acme-search", "fra1", "starter", "SEARCH_DO_TOKEN"),
        });
        expect(created.removed).to.deep.equal([]);
        expect(created.teams).to.deep.equal({
            payments: {
                serverUrl: "registry.digitalocean.com/acme-payments",
                region: "nyc3",
                tier: "basic",
                keepLast: 10,
                pushDockerConfigJson: "[secret]",
                pushExpiresAt: created.teams.payments.pushExpiresAt,
            },
            search: {
                serverUrl: "registry.digitalocean.com/acme-search",
                region: "fra1",
                tier: "starter",
                keepLast: 10,
                pushDockerConfigJson: "[secret]",
                pushExpiresAt: created.teams.search.pushExpiresAt,
            },
        });
        for (const t of Object.values(created.teams))
            expect(Date.parse(t.pushExpiresAt as string)).to.be.above(Date.now());
        expect(await registries(payments)).to.deep.equal([["acme-payments", "nyc3"]]);
        expect(await registries(search)).to.deep.equal([["acme-search", "fra1"]]);

        const changed = await platform({
            payments: team(payments, "acme-payments", "ams3", "professional", "PAYMENTS_DO_TOKEN"),
            search: team(search, "acme-search", "fra1", "starter", "SEARCH_DO_TOKEN"),
        });
        expect(changed.teams.payments).to.include({ region: "ams3", tier: "professional" });
        expect(changed.teams.search).to.deep.equal(created.teams.search);
        expect(await registries(payments)).to.deep.equal([["acme-payments", "ams3"]]);
        expect((await payments.state()).subscription?.tier).to.equal("professional");

        const removed = await platform({
            payments: team(payments, "acme-payments", "ams3", "professional", "PAYMENTS_DO_TOKEN"),
        });
        expect(removed.removed).to.deep.equal(["search"]);
        expect(Object.keys(removed.teams)).to.deep.equal(["payments"]);
        expect(await registries(search)).to.deep.equal([]);

        const none = await platform({});
        expect(none).to.deep.include({ teams: {}, removed: ["payments"] });
        expect(await registries(payments)).to.deep.equal([]);
        const stacks = await workspace().ok(path.join(program.dir, ".platform"), ["stack", "ls", "--json"]);
        expect(JSON.parse(stacks.stdout)).to.deep.equal([]);
    });
});
