/** A Pulumi program folder as a user has it: its files, its own npm install, its stacks. */
import * as fs from "node:fs";
import * as path from "node:path";
import { npmInstall, PINNED, type ProgramPackage } from "../../harness/package";
import type { PulumiWorkspace, RunResult } from "./cli";
import type { EmulatorProcess } from "./emulator-process";

const EXAMPLES = path.resolve(__dirname, "..", "..", "examples");

export class Program {
    constructor(
        readonly workspace: PulumiWorkspace,
        readonly dir: string,
    ) {}

    pulumi(stack: string, args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
        return this.workspace.run(this.dir, [...args, "--stack", stack], { env });
    }

    ok(stack: string, args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
        return this.workspace.ok(this.dir, [...args, "--stack", stack], { env });
    }

    /** `pulumi stack init`, pointed at an emulator: its URL in config, its token as a secret. */
    async initStack(
        stack: string,
        emulator: EmulatorProcess | undefined,
        config: Record<string, string> = {},
    ): Promise<void> {
        await this.workspace.ok(this.dir, ["stack", "init", stack]);
        if (emulator) {
            await this.ok(stack, ["config", "set", "digitalocean:apiUrl", emulator.url]);
            await this.ok(stack, ["config", "set", "--secret", "digitalocean:token", emulator.token]);
        }
        for (const [key, value] of Object.entries(config)) await this.ok(stack, ["config", "set", key, value]);
    }

    /** An emulator fixture as the installed package ships it (`emulator/examples/<file>`). */
    installedFixture(file: string): string {
        return path.join(this.dir, "node_modules", "pulumi-docr", "emulator", "examples", file);
    }

    /** `pulumi stack export`, parsed. */
    async state(stack: string): Promise<StackState> {
        return JSON.parse((await this.ok(stack, ["stack", "export"])).stdout) as StackState;
    }

    /** The resources of one type in the stack's state. */
    async resources(stack: string, type: string): Promise<StateResource[]> {
        return ((await this.state(stack)).deployment.resources ?? []).filter(
            (r) => r.type === `pulumi-nodejs:dynamic/docr:${type}`,
        );
    }
}

export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

export interface StackState {
    deployment: { resources?: StateResource[] };
}

/**
 * A copy of `examples/<name>` with its dependencies installed from the registry and pulumi-docr
 * from `npm pack` (the example's own `pulumi-docr` entry points at a tarball path of the checkout).
 */
export function exampleProgram(workspace: PulumiWorkspace, name: string): Program {
    const source = path.join(EXAMPLES, name);
    const dir = workspace.dir(name);
    for (const file of fs.readdirSync(source)) {
        if (file === "node_modules" || file === "package-lock.json") continue;
        fs.cpSync(path.join(source, file), path.join(dir, file), { recursive: true });
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8")) as Required<
        Pick<ProgramPackage, "dependencies">
    > &
        ProgramPackage;
    const { "pulumi-docr": _ours, ...dependencies } = manifest.dependencies;
    npmInstall(dir, { dependencies, devDependencies: manifest.devDependencies ?? {} });
    return new Program(workspace, dir);
}

/** A program written by the test: its files, then its own npm install. */
export function writtenProgram(
    workspace: PulumiWorkspace,
    name: string,
    files: Record<string, string>,
    pkg: ProgramPackage,
): Program {
    const dir = workspace.dir(name);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    npmInstall(dir, pkg);
    return new Program(workspace, dir);
}

/** A JavaScript program of one `index.js` (project `docr-<name>`), with `@pulumi/pulumi` installed. */
export function javascriptProgram(workspace: PulumiWorkspace, name: string, source: string): Program {
    return writtenProgram(
        workspace,
        name,
        { "Pulumi.yaml": `name: docr-${name}\nruntime: nodejs\n`, "index.js": source },
        { dependencies: { "@pulumi/pulumi": PINNED.pulumi } },
    );
}
