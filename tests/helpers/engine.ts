/**
 * Test helper: drive `@pulumi/pulumi`'s real dynamic-provider host over the provider gRPC protocol,
 * exactly as the Pulumi engine does, without a Pulumi CLI.
 *
 * Typical use (one host per `describe`, always stopped in `after`):
 *
 * ```ts
 * import { startProviderHost, serializeProvider, urn, bindResource, ProviderHost } from "../helpers/engine";
 *
 * describe("registry through the engine protocol", function () {
 *   let host: ProviderHost;
 *   let serialized: string;
 *   before(async function () {
 *     host = await startProviderHost({ env: { DIGITALOCEAN_TOKEN: undefined } });
 *     serialized = await serializeProvider(registryProvider);
 *     await host.configure({ "digitalocean:token": "test-token", "digitalocean:apiUrl": emulator.url });
 *   });
 *   after(() => host?.stop());   // always; stop() is idempotent and never throws
 *
 *   it("creates", async () => {
 *     const r = bindResource(host, serialized, urn("docr:Registry", "main"));
 *     const { inputs } = await r.check({}, { name: "main", region: "nyc3" });
 *     const created = await r.create(inputs);
 *     const read = await r.read(created.id, created.properties);   // olds carry __provider
 *   });
 * });
 * ```
 *
 * Observed behaviour of the 3.270 host (see tests/engine/harness.test.ts, which proves each point):
 *
 * - **Configure** reads only `args` (a Struct); `variables` is ignored. Secret-wrapped values in `args`
 *   are unwrapped. The provider's `configure(req)` is NOT called by Configure: it is called lazily,
 *   once per distinct `__provider` string per host process, the first time any CRUD call loads
 *   that provider, with the config the host holds at that moment. A later Configure therefore does
 *   not reach an already-loaded provider: start a new host (or use a different provider) to test
 *   different config. `req.config.get("token")` (no colon) means `"project:token"` (the host's
 *   project name is `PULUMI_NODEJS_PROJECT`, default "project").
 * - **`__provider` travels** in Check `news` (or `olds` when the news' one is unknown), Diff/Update
 *   `news` (Diff falls back to `olds` when the news' one is unknown), Create `properties`,
 *   Read `properties` (or `inputs` when `properties` is empty) and Delete `properties`, i.e. the old
 *   *outputs*. The host copies `__provider` into every Create/Read/Update output and Check inputs, so
 *   outputs can be passed straight back as `olds`.
 * - **Errors**: Create/Update report `e.message` with status UNKNOWN (2); Check/Diff/Read/Delete
 *   pass the thrown object to grpc-js, which reports `e.message` (or "Unknown Error" when the object
 *   has no `message` at all) and uses `e.code` as the gRPC status when it is an integer (an error
 *   carrying an HTTP `code: 404` surfaces as status 404!). A project-defined `class X extends Error`
 *   that relies on `super(message)` loses its message once serialized: Create/Update report
 *   "undefined", Check/Diff/Read/Delete "Unknown Error"; set `this.message` in the constructor.
 *   For Check/Diff/Read/Delete failures the host also prints `${e}: ${e.stack}` on stderr
 *   ("[object Object]: undefined" for such a serialized class). An `undefined` value anywhere in a
 *   provider result fails the call with "Unexpected struct type.". A Create/Update error with an
 *   `id` property is sent as ErrorResourceInitFailed: see {@link ProviderHostError.initFailure}.
 *   {@link ProviderHostError} carries the reported message (gRPC `details`), `code` and `method`.
 * - **Logging**: the host has no engine connection, so `pulumi.log.info(msg)` inside a provider goes
 *   to the host's stdout as `info: [runtime] msg` (warn: stderr, `warning: [runtime] msg`).
 *   Read it with `output()` / `waitForOutput()`.
 * - **Secrets**: the host returns what it is given: secret-wrapped values
 *   (`{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }`) in Check news come back wrapped in `inputs`, and a
 *   provider's own wrapped values come back wrapped; use {@link isSecret} / {@link unwrapSecrets}.
 *   (The real engine sends no secrets to this host: its Configure answers acceptSecrets=false.)
 * - **Sizes** (measured by the harness test): a trivial object-literal provider serializes to
 *   ~0.5 KB. Closure capture is per property: `pulumi.log` through `import * as pulumi` becomes
 *   `{log: require("@pulumi/pulumi/log/index.js")}`; axios through `import axios from "axios"`
 *   becomes `{default: require("axios/dist/node/axios.cjs")}` (~0.7 KB total); even axios captured
 *   directly is a `require`. Classes defined in the project are inlined (~1 KB each).
 * - A Configure without `args` makes the 3.270 host throw inside an async handler and never answer
 *   (the call would hang until its deadline); this helper always sends `args`.
 */
import { ChildProcess, spawn } from "child_process";
import * as http from "http";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const statusproto: {
    Status: { deserializeBinary(b: Uint8Array): { getCode(): number; getMessage(): string; getDetailsList(): Any[] } };
} = require("@pulumi/pulumi/proto/status_pb");

/** A property bag as the engine sends it (plain JSON; may contain UNKNOWN and secret-wrapped values). */
export type Props = Record<string, any>;

/** The string the engine sends for a value that is unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Key under which the engine marks special values (secrets, assets, resource references). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret value: `{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Property under which dynamic resources carry their serialized provider. */
export const PROVIDER_KEY = "__provider";

/** The project root: the host's default cwd, so serialized `require("pkg")`s resolve from here. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

const HOST_SCRIPT = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");

/** A secret-wrapped value, as the engine writes secrets into property bags. */
export interface WrappedSecret {
    [SPECIAL_SIG_KEY]: typeof SECRET_SIG;
    value: unknown;
}

/** Wrap a value as a secret (e.g. to send a secret config value to Configure). */
export function secret<T>(value: T): WrappedSecret {
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, value } as WrappedSecret;
}

/** True if `value` is a secret-wrapped value. */
export function isSecret(value: unknown): value is WrappedSecret {
    return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        (value as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG
    );
}

/** Deeply replace every secret-wrapped value by its plain value. Does not mutate its argument. */
export function unwrapSecrets<T>(value: T): T {
    if (isSecret(value)) {
        return unwrapSecrets(value.value) as T;
    }
    if (Array.isArray(value)) {
        return value.map((v) => unwrapSecrets(v)) as unknown as T;
    }
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = unwrapSecrets(v);
        }
        return out as T;
    }
    return value;
}

/** `props` plus `__provider: serialized` (returns a new object). */
export function withProvider(props: Props, serialized: string): Props {
    return { ...props, [PROVIDER_KEY]: serialized };
}

/** `props` without `__provider` (returns a new object), for deep-equality assertions on outputs. */
export function stripProvider(props: Props): Props {
    const { [PROVIDER_KEY]: _ignored, ...rest } = props;
    return rest;
}

/**
 * A URN as the engine builds it for a dynamic resource:
 * `urn("docr:Registry", "main")` -> `urn:pulumi:test::docr::pulumi-nodejs:dynamic/docr:Registry::main`.
 * A `type` that already starts with `pulumi-nodejs:` is used as is.
 */
export function urn(type: string, name: string, opts: { stack?: string; project?: string } = {}): string {
    const fullType = type.startsWith("pulumi-nodejs:") ? type : `pulumi-nodejs:dynamic/${type}`;
    return `urn:pulumi:${opts.stack ?? "test"}::${opts.project ?? "docr"}::${fullType}::${name}`;
}

/**
 * Serialize a provider exactly as `pulumi.dynamic.Resource` does (dynamic/index.js `serializeFunctionMaybeSecret`):
 * `serializeFunction(() => provider, { allowSecrets: true })`, no `isFactoryFunction`. The text
 * exports `handler`; the host runs `requireFromString(text).handler()` to get the provider object.
 * This is the string the engine receives in `__provider`.
 */
export async function serializeProvider(provider: object): Promise<string> {
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    return sf.text;
}

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
    configure(config: Record<string, string | WrappedSecret>, opts?: { send?: "both" | "args" | "variables" }): Promise<void>;
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
    /** Default: the project root (serialized `require("pkg")` resolve from the host's cwd). */
    cwd?: string;
    /** Per-call gRPC deadline in ms (default 20000). */
    callTimeoutMs?: number;
    /** Startup timeout in ms (default 15000). */
    startTimeoutMs?: number;
}

const liveHosts = new Set<ChildProcess>();

/** Pids of host processes started by this helper and not yet exited (to assert cleanup). */
export function liveHostPids(): number[] {
    return [...liveHosts].map((c) => c.pid!).filter((p) => p !== undefined);
}

/** Whether a process with this pid exists (signal 0). */
export function processExists(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

// Safety net: if the test process exits while hosts are still running (a forgotten `after`,
// mocha --exit), kill them synchronously.
process.on("exit", () => {
    for (const child of liveHosts) {
        try {
            child.kill("SIGKILL");
        } catch {
            /* already gone */
        }
    }
});

function hostEnv(overrides: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (/^(DIGITALOCEAN_|PULUMI_CONFIG|PULUMI_NODEJS_)/.test(k)) continue;
        env[k] = v;
    }
    for (const [k, v] of Object.entries(overrides ?? {})) {
        if (v === undefined) delete env[k];
        else env[k] = v;
    }
    return env;
}

/**
 * Start a dynamic-provider host (`node @pulumi/pulumi/cmd/dynamic-provider <engine>`) and connect to it.
 * Call `stop()` in an `after`/`afterEach` hook: `after(() => host?.stop())`. Hosts still running when
 * the test process exits are killed by an exit hook.
 */
export async function startProviderHost(options: StartOptions = {}): Promise<ProviderHost> {
    const cwd = options.cwd ?? PROJECT_ROOT;
    const callTimeoutMs = options.callTimeoutMs ?? 20000;
    // The engine address is required by the host's argv check but never dialled for these calls.
    const child = spawn(process.execPath, [HOST_SCRIPT, "127.0.0.1:1"], {
        cwd,
        env: hostEnv(options.env),
        stdio: ["ignore", "pipe", "pipe"],
    });
    liveHosts.add(child);
    const exited = new Promise<void>((resolve) => {
        child.once("exit", () => {
            liveHosts.delete(child);
            resolve();
        });
        child.once("error", () => {
            liveHosts.delete(child);
            resolve();
        });
    });

    let out = "";
    let startupOut = "";
    let port: number | undefined;
    const listeners = new Set<() => void>();
    const append = (s: string) => {
        out += s;
        for (const l of [...listeners]) l();
    };

    const kill = async () => {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
            await exited;
            clearTimeout(timer);
        }
        await exited;
    };

    try {
        port = await new Promise<number>((resolve, reject) => {
            let buf = "";
            const timer = setTimeout(
                () => reject(new Error(`dynamic-provider host did not print its port within ${options.startTimeoutMs ?? 15000} ms: ${startupOut}`)),
                options.startTimeoutMs ?? 15000,
            );
            child.stdout!.setEncoding("utf8");
            child.stderr!.setEncoding("utf8");
            child.stdout!.on("data", (chunk: string) => {
                if (port !== undefined) {
                    append(chunk);
                    return;
                }
                buf += chunk;
                const nl = buf.indexOf("\n");
                if (nl < 0) return;
                const first = buf.slice(0, nl).trim();
                const rest = buf.slice(nl + 1);
                clearTimeout(timer);
                if (!/^\d+$/.test(first)) {
                    reject(new Error(`dynamic-provider host printed ${JSON.stringify(first)} before its port`));
                    return;
                }
                port = Number(first);
                if (rest) append(rest);
                resolve(port);
            });
            child.stderr!.on("data", (chunk: string) => {
                startupOut += chunk;
                append(chunk);
            });
            child.once("error", (e) => {
                clearTimeout(timer);
                reject(e);
            });
            child.once("exit", (code, signal) => {
                clearTimeout(timer);
                reject(new Error(`dynamic-provider host exited (${code ?? signal}) before printing its port: ${startupOut}`));
            });
        });
    } catch (e) {
        await kill();
        throw e;
    }

    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    let stopped = false;

    function unary<Req, Res>(method: string, fn: (req: Req, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (err: grpc.ServiceError | null, res: Res) => void) => grpc.ClientUnaryCall, req: Req): Promise<Res> {
        if (stopped) return Promise.reject(new Error(`provider host stopped; cannot call ${method}`));
        return new Promise<Res>((resolve, reject) => {
            fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + callTimeoutMs }, (err, res) => {
                if (err) reject(toHostError(method, err));
                else resolve(res);
            });
        });
    }

    const struct = (props: Props | undefined) => Struct.fromJavaScript((props ?? {}) as never);
    const js = (s: Struct | undefined): Props => (s ? (s.toJavaScript() as Props) : {});

    const host: ProviderHost = {
        pid: child.pid!,
        async configure(config, opts = {}) {
            const send = opts.send ?? "both";
            const req = new provproto.ConfigureRequest();
            if (send !== "args") {
                const vars = req.getVariablesMap();
                for (const [k, v] of Object.entries(config)) {
                    vars.set(k, isSecret(v) ? String(v.value) : v);
                }
            }
            req.setArgs(struct(send === "variables" ? {} : config));
            req.setAcceptsecrets(true);
            req.setAcceptresources(true);
            await unary("Configure", client.configure, req);
        },
        async check(u, olds, news) {
            const req = new provproto.CheckRequest();
            req.setUrn(u);
            req.setOlds(struct(olds));
            req.setNews(struct(news));
            const res = await unary<provproto.CheckRequest, provproto.CheckResponse>("Check", client.check, req);
            return {
                inputs: js(res.getInputs()),
                failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
            };
        },
        async diff(id, u, olds, news) {
            const req = new provproto.DiffRequest();
            req.setId(id);
            req.setUrn(u);
            req.setOlds(struct(olds));
            req.setNews(struct(news));
            const res = await unary<provproto.DiffRequest, provproto.DiffResponse>("Diff", client.diff, req);
            const C = provproto.DiffResponse.DiffChanges;
            const c = res.getChanges();
            return {
                changes: c === C.DIFF_NONE ? "none" : c === C.DIFF_SOME ? "some" : "unknown",
                replaces: res.getReplacesList(),
                deleteBeforeReplace: res.getDeletebeforereplace(),
                diffs: res.getDiffsList(),
            };
        },
        async create(u, props) {
            const req = new provproto.CreateRequest();
            req.setUrn(u);
            req.setProperties(struct(props));
            const res = await unary<provproto.CreateRequest, provproto.CreateResponse>("Create", client.create, req);
            return { id: res.getId(), properties: js(res.getProperties()) };
        },
        async read(id, u, props, inputs) {
            const req = new provproto.ReadRequest();
            req.setId(id);
            req.setUrn(u);
            req.setProperties(struct(props));
            if (inputs) req.setInputs(struct(inputs));
            const res = await unary<provproto.ReadRequest, provproto.ReadResponse>("Read", client.read, req);
            return { id: res.getId(), properties: js(res.getProperties()), inputs: js(res.getInputs()) };
        },
        async update(id, u, olds, news) {
            const req = new provproto.UpdateRequest();
            req.setId(id);
            req.setUrn(u);
            req.setOlds(struct(olds));
            req.setNews(struct(news));
            const res = await unary<provproto.UpdateRequest, provproto.UpdateResponse>("Update", client.update, req);
            return { properties: js(res.getProperties()) };
        },
        async delete(id, u, props) {
            const req = new provproto.DeleteRequest();
            req.setId(id);
            req.setUrn(u);
            req.setProperties(struct(props));
            await unary("Delete", client.delete, req);
        },
        output: () => out,
        clearOutput: () => {
            out = "";
        },
        waitForOutput(pattern, timeoutMs = 2000) {
            const matches = () => (typeof pattern === "string" ? out.includes(pattern) : pattern.test(out));
            if (matches()) return Promise.resolve(out);
            return new Promise<string>((resolve, reject) => {
                const done = () => {
                    clearTimeout(timer);
                    listeners.delete(check);
                };
                const check = () => {
                    if (matches()) {
                        done();
                        resolve(out);
                    }
                };
                const timer = setTimeout(() => {
                    done();
                    reject(new Error(`host output did not match ${String(pattern)} within ${timeoutMs} ms; output:\n${out}`));
                }, timeoutMs);
                listeners.add(check);
            });
        },
        async stop() {
            stopped = true;
            try {
                client.close();
            } catch {
                /* ignore */
            }
            await kill();
        },
    };
    return host;
}

function toHostError(method: string, err: grpc.ServiceError): ProviderHostError {
    let initFailure: ProviderHostError["initFailure"];
    const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
    if (bin instanceof Buffer) {
        try {
            const status = statusproto.Status.deserializeBinary(bin);
            for (const any of status.getDetailsList()) {
                if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
                    const d = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
                    initFailure = {
                        id: d.getId(),
                        properties: (d.getProperties()?.toJavaScript() ?? {}) as Props,
                        reasons: d.getReasonsList(),
                    };
                }
            }
        } catch {
            /* not a pulumi status */
        }
    }
    // err.details is the status message the server sent; err.message is "<code> <NAME>: <details>".
    return new ProviderHostError(method, err.code, err.details ?? err.message, initFailure);
}

/** Every call of a {@link ProviderHost} for one resource, with `__provider` added to inputs for you. */
export interface BoundResource {
    readonly urn: string;
    readonly serialized: string;
    /** `news` gets `__provider` (unless it already has one); `olds` too when non-empty. */
    check(olds: Props, news: Props): Promise<CheckResult>;
    /** `olds` are old outputs (carry `__provider` if from create/read); `news` gets `__provider`. */
    diff(id: string, olds: Props, news: Props): Promise<DiffResult>;
    create(props: Props): Promise<CreateResult>;
    read(id: string, props: Props, inputs?: Props): Promise<ReadResult>;
    update(id: string, olds: Props, news: Props): Promise<UpdateResult>;
    delete(id: string, props: Props): Promise<void>;
}

/**
 * Bind a host, a serialized provider and a URN. Every props argument that lacks `__provider` gets
 * this one (pass `__provider` explicitly to simulate state written by an older provider).
 */
export function bindResource(host: ProviderHost, serialized: string, resourceUrn: string): BoundResource {
    const p = (props: Props) => (PROVIDER_KEY in props ? props : withProvider(props, serialized));
    const po = (props: Props) => (Object.keys(props).length === 0 ? props : p(props));
    return {
        urn: resourceUrn,
        serialized,
        check: (olds, news) => host.check(resourceUrn, po(olds), p(news)),
        diff: (id, olds, news) => host.diff(id, resourceUrn, p(olds), p(news)),
        create: (props) => host.create(resourceUrn, p(props)),
        read: (id, props, inputs) => host.read(id, resourceUrn, p(props), inputs && p(inputs)),
        update: (id, olds, news) => host.update(id, resourceUrn, p(olds), p(news)),
        delete: (id, props) => host.delete(id, resourceUrn, p(props)),
    };
}

/**
 * A baseline provider whose `create` makes exactly one HTTP GET to `url` (Node's `http`, no
 * retries) and returns `{ id: "<status>-<n>", outs: { status, body } }`; read/update/delete make no
 * request. Benchmarks compare real providers' request counts and latency against this.
 */
export function trivialHttpProvider(url: string): pulumi.dynamic.ResourceProvider {
    return {
        async create(inputs: Props) {
            const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
                const req = http.get(url, (res) => {
                    let data = "";
                    res.setEncoding("utf8");
                    res.on("data", (c: string) => (data += c));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
                    res.on("error", reject);
                });
                req.on("error", reject);
            });
            return { id: `${status}-${inputs.name ?? "x"}`, outs: { status, body } };
        },
    };
}
