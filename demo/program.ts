/**
 * Runs a Pulumi program in this process the way the language host does (`require` it, call an
 * exported function, await its outputs), with `pulumi.runtime.setMocks` standing in for the
 * engine's resource monitor. Every resource registration is handed to `register`, which plays the
 * engine: it may call the real provider host and answer with real outputs, so outputs flow
 * between resources exactly as in `pulumi up` (a dependent registers once its inputs are known).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Module from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { load as loadYaml } from "js-yaml";

// Internal runtime pieces the language host itself uses: the monitor in place and the RPC queue.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): {
        registerResource: (req: RegisterRequest, cb: unknown) => unknown;
        getRegisteredResources(): Map<string, { state: unknown }>;
    };
    waitForRPCs(): Promise<void>;
};

/** What the program asked the engine for, one resource. */
export interface Registration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Inputs as the program resolved them (includes `__provider` for dynamic resources). */
    inputs: Record<string, unknown>;
    /** URNs each input property depends on. */
    propertyDependencies: Record<string, string[]>;
    /** Outputs the engine must mark secret. */
    additionalSecretOutputs: string[];
}

/** What the engine answers: the id and the outputs (preview: missing outputs are unknown). */
export interface RegistrationResult {
    id?: string;
    state: Record<string, unknown>;
}

export interface ProgramRun {
    /** Stack outputs, serialized as the engine receives them (secrets wrapped, unknowns as the sentinel). */
    outputs: Record<string, unknown>;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getAdditionalsecretoutputsList(): string[];
}

/** A project directory's Pulumi.yaml name and a stack's Pulumi.<stack>.yaml config. */
export function readProject(dir: string, stack: string): { project: string; config: Record<string, string> } {
    const project = (loadYaml(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = (loadYaml(fs.readFileSync(stackFile, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { project, config };
}

/** Makes `require("pulumi-docr")` load this checkout's sources (what `npm install` of the example links). */
export function aliasPackage(name: string, target: string): void {
    const mod = Module as unknown as {
        _resolveFilename: (this: unknown, request: string, ...rest: unknown[]) => string;
    };
    const original = mod._resolveFilename;
    mod._resolveFilename = function (request: string, ...rest: unknown[]) {
        return original.call(this, request === name ? target : request, ...rest);
    };
}

export interface RunOptions {
    programDir: string;
    project: string;
    stack: string;
    preview: boolean;
    config: Record<string, string>;
    secretKeys: string[];
    register(registration: Registration): Promise<RegistrationResult>;
    /** Give up after this long (a registration that never completes would otherwise hang). */
    timeoutMs?: number;
}

/** One run of the program: a preview (`preview: true`) or an update. */
export async function runProgram(opts: RunOptions): Promise<ProgramRun> {
    const failures: unknown[] = [];
    let signal: (err: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (signal = reject));
    failed.catch(() => undefined);
    const fail = (err: unknown) => {
        failures.push(err);
        signal(err);
    };
    const pending = new Set<Promise<unknown>>();
    const onUnhandled = (reason: unknown) => fail(reason);
    process.on("unhandledRejection", onUnhandled);

    const captured = new Map<string, Omit<Registration, "inputs" | "custom" | "type" | "name">>();
    await pulumi.runtime.setMocks(
        {
            newResource: async (args) => {
                const inputs = args.inputs as Record<string, unknown>;
                if (!args.custom) return { id: undefined, state: inputs };
                const extra = captured.get(`${args.type}::${args.name}`);
                if (!extra) throw new Error(`internal: registration of ${args.type} ${args.name} was not captured`);
                const work = opts.register({ type: args.type, name: args.name, custom: true, inputs, ...extra });
                pending.add(work);
                try {
                    const result = await work;
                    return { id: result.id, state: result.state };
                } catch (err) {
                    fail(err);
                    throw err;
                } finally {
                    pending.delete(work);
                }
            },
            call: (args) => Promise.reject(new Error(`unexpected provider function call ${args.token}`)),
        },
        opts.project,
        opts.stack,
        opts.preview,
    );
    // Capture what MockResourceArgs leaves out: property dependencies and additional secret outputs.
    const monitor = settings.getMonitor();
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        captured.set(`${req.getType()}::${req.getName()}`, {
            urn: childUrn(opts.stack, opts.project, req.getParent(), req.getType(), req.getName()),
            propertyDependencies,
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        });
        return registerResource(req, cb);
    };
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);

    const programPath = require.resolve(opts.programDir);
    delete require.cache[programPath];
    try {
        const run = pulumi.runtime.runInPulumiStack(async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            let exported: unknown = require(programPath);
            if (typeof exported === "function") exported = await (exported as () => unknown)();
            return exported as Record<string, unknown>;
        });
        const timeoutMs = opts.timeoutMs ?? 60_000;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`the program did not finish within ${timeoutMs} ms`)), timeoutMs);
        });
        try {
            await Promise.race([run, timeout, failed]);
            await Promise.race([settings.waitForRPCs(), timeout, failed]);
            await Promise.all([...pending]);
        } finally {
            clearTimeout(timer);
        }
        if (failures.length > 0) throw failures[0];
        const stackUrn = `urn:pulumi:${opts.stack}::${opts.project}::pulumi:pulumi:Stack::${opts.project}-${opts.stack}`;
        const stackState = settings.getMonitor().getRegisteredResources().get(stackUrn)?.state as
            { toJavaScript?: () => unknown } | undefined;
        const outputs = (stackState?.toJavaScript ? stackState.toJavaScript() : (stackState ?? {})) as Record<
            string,
            unknown
        >;
        return { outputs };
    } finally {
        process.off("unhandledRejection", onUnhandled);
    }
}

/** The URN the engine (and the mock monitor) gives a resource: the parent's type chain is part of it. */
export function childUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
        const parentType = parent.split("::")[2].split("$").pop();
        qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}
