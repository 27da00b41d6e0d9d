/**
 * A small self-service platform on the Automation API: every team in a teams file gets its own
 * container registry, push credentials for its CI and a retention policy, in a stack of its own.
 * Run it again after editing the file: new teams are created, changed ones updated (a tier in place,
 * a region by replacing the registry), and teams no longer listed are destroyed and their stacks removed.
 *
 *   export PULUMI_CONFIG_PASSPHRASE=... PAYMENTS_DO_TOKEN=... SEARCH_DO_TOKEN=...
 *   npm run platform -- teams.json
 *
 * Each team is its own DigitalOcean team: its token is read from the variable its `tokenVariable`
 * names and kept, encrypted, in its stack's config. The stacks' state and config live in
 * `.platform/` beside the teams file (a file backend; PULUMI_BACKEND_URL chooses another backend).
 * The program is a function of this process (an inline program): no Pulumi.yaml, no `pulumi` commands.
 */
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type LocalWorkspaceOptions, type OutputMap, type PulumiFn } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import * as path from "node:path";
import { Registry, RegistryCredentials, RetentionPolicy } from "pulumi-docr";

interface Team {
    /** The registry's name, globally unique across DigitalOcean. */
    registry: string;
    region: string;
    tier: "starter" | "basic" | "professional";
    /** How many tags per repository the retention policy keeps. */
    keepLast: number;
    /** The environment variable that holds the team's DigitalOcean API token. */
    tokenVariable: string;
    /** Another API (an emulator), for trying it out. */
    apiUrl?: string;
}

/** One team's infrastructure: the inline program of its stack. */
function teamProgram(team: Team): PulumiFn {
    return () => {
        const registry = new Registry("registry", {
            name: team.registry,
            region: team.region,
            subscriptionTierSlug: team.tier,
        });
        const push = new RegistryCredentials("ci-push", {
            registryName: registry.name,
            readWrite: true,
            expirySeconds: 7 * 24 * 3600,
        });
        new RetentionPolicy("retention", {
            registryName: registry.name,
            keepLast: team.keepLast,
            deleteUntaggedManifests: true,
        });
        return Promise.resolve({
            serverUrl: registry.serverUrl,
            region: registry.region,
            tier: registry.subscriptionTierSlug,
            keepLast: team.keepLast,
            pushDockerConfigJson: pulumi.secret(push.dockerConfigJson),
            pushExpiresAt: push.expiresAt,
        });
    };
}

const projectName = "docr-platform";

async function main(teamsFile: string): Promise<void> {
    const teams = JSON.parse(fs.readFileSync(teamsFile, "utf8")) as Record<string, Team>;
    const workDir = path.join(path.dirname(path.resolve(teamsFile)), ".platform");
    fs.mkdirSync(path.join(workDir, "state"), { recursive: true });
    const options: LocalWorkspaceOptions = {
        workDir,
        projectSettings: {
            name: projectName,
            runtime: "nodejs",
            backend: { url: process.env.PULUMI_BACKEND_URL ?? `file://${path.join(workDir, "state")}` },
        },
    };
    const summary: Record<string, Record<string, unknown>> = {};

    for (const [name, team] of Object.entries(teams)) {
        const token = process.env[team.tokenVariable];
        if (!token) throw new Error(`${name}: set ${team.tokenVariable} to the team's DigitalOcean API token`);
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: name, projectName, program: teamProgram(team) },
            options,
        );
        await stack.setConfig("digitalocean:token", { value: token, secret: true });
        if (team.apiUrl) await stack.setConfig("digitalocean:apiUrl", { value: team.apiUrl });
        const result = await stack.up({ onOutput: (line) => process.stderr.write(line) });
        summary[name] = plain(result.outputs);
    }

    const workspace = await LocalWorkspace.create(options);
    const removed: string[] = [];
    for (const { name } of await workspace.listStacks()) {
        if (name in teams) continue;
        // Destroy runs no program: the stack's state and config are enough.
        const stack = await LocalWorkspace.selectStack(
            { stackName: name, projectName, program: () => Promise.resolve({}) },
            options,
        );
        await stack.destroy({ onOutput: (line) => process.stderr.write(line) });
        await workspace.removeStack(name);
        removed.push(name);
    }
    console.log(JSON.stringify({ teams: summary, removed }));
}

/** The outputs as the summary shows them: secrets as `[secret]`. */
function plain(outputs: OutputMap): Record<string, unknown> {
    return Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.secret ? "[secret]" : o.value]));
}

main(process.argv[2] ?? "teams.json").catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});
