/**
 * What a provider host reports: {@link ProviderHostError}, the result of each call, the
 * {@link ProviderHost} interface and the options of `startProviderHost`.
 */
import type { Props, WrappedSecret } from "./props";

/** An error reported by the host. `message` is exactly what the host reported (what users see). */
export class ProviderHostError extends Error {
    /** gRPC status code (2 = UNKNOWN for ordinary provider errors). */
    readonly code: number;
    /** The RPC that failed, e.g. "Create". */
    readonly method: string;
    /**
     * Set when a Create/Update error carried `id` (and optionally `properties`, `reasons`): the host
     * then reports ErrorResourceInitFailed, and the engine records the resource in state with that id.
     */
    readonly initFailure?: { id: string; properties: Props; reasons: string[] };

    constructor(method: string, code: number, message: string, initFailure?: ProviderHostError["initFailure"]) {
        super(message);
        this.name = "ProviderHostError";
        this.method = method;
        this.code = code;
        this.initFailure = initFailure;
    }
}

export interface CheckResult {
    inputs: Props;
    failures: { property: string; reason: string }[];
}
export interface DiffResult {
    changes: "none" | "some" | "unknown";
    replaces: string[];
    deleteBeforeReplace: boolean;
    diffs: string[];
}
export interface CreateResult {
    id: string;
    properties: Props;
}
export interface ReadResult {
    id: string;
    properties: Props;
    /** Empty object when the provider's read returned no `inputs`. */
    inputs: Props;
}
export interface UpdateResult {
    properties: Props;
}

export interface ProviderHost {
    /**
     * Configure, as the engine sends stack config: `{ "digitalocean:token": "..." }`. Values go into
     * both `variables` (strings) and `args` (the only field the 3.270 host reads). Pass `secret(v)` to
     * send a value secret-wrapped in `args`, as the engine does for secret config. `opts.send`
     * restricts which request field is filled (to show which one the host reads).
     */
    configure(
        config: Record<string, string | WrappedSecret>,
        opts?: { send?: "both" | "args" | "variables" },
    ): Promise<void>;
    check(urn: string, olds: Props, news: Props): Promise<CheckResult>;
    diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffResult>;
    create(urn: string, props: Props): Promise<CreateResult>;
    read(id: string, urn: string, props: Props, inputs?: Props): Promise<ReadResult>;
    update(id: string, urn: string, olds: Props, news: Props): Promise<UpdateResult>;
    delete(id: string, urn: string, props: Props): Promise<void>;
    /** Everything the host printed (stdout and stderr, interleaved as received) after its port line. */
    output(): string;
    /** Resolve with output() once it matches `pattern`; reject after `timeoutMs`. Output is piped
     * asynchronously, so a log line may arrive just after the RPC response that followed it. */
    waitForOutput(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
    /** Forget output captured so far. */
    clearOutput(): void;
    /** The host's process id. */
    readonly pid: number;
    /** Close the client and kill the host (SIGTERM, then SIGKILL). Idempotent; never rejects. */
    stop(): Promise<void>;
}

export interface StartOptions {
    /**
     * Merged over `process.env`; a key set to `undefined` is removed. Inherited `DIGITALOCEAN_*`,
     * `PULUMI_CONFIG*` and `PULUMI_NODEJS_*` variables are removed first (hermetic tests), so pass
     * them here explicitly if a test needs them.
     */
    env?: NodeJS.ProcessEnv;
    /** Default: {@link linkedPackageDir} (serialized `require("pkg")`s resolve from the host's cwd). */
    cwd?: string;
    /** Per-call gRPC deadline in ms (default 20000). */
    callTimeoutMs?: number;
    /** Startup timeout in ms (default 15000). */
    startTimeoutMs?: number;
    /** Options for node itself, before the host script (e.g. `--cpu-prof`: bench/engine-overhead.ts profiles the host). */
    nodeArgs?: string[];
}
