/**
 * Proves harness/engine/ against trivial dynamic providers defined here, through the real
 * `@pulumi/pulumi` 3.270 dynamic-provider host.
 *
 * Run alone (the repo's .mocharc `spec` is merged with positional paths, so `npx mocha <file>` runs
 * everything): `npx mocha --no-config -r ts-node/register/transpile-only --extension ts --exit tests/engine/harness.test.ts`
 *
 * Observations (each asserted below):
 *
 * - Error serialization. The provider object is closure-serialized; a project-defined
 *   `class X extends Error { constructor(m) { super(m) } }` is rewritten to
 *   `function X(m) { __super.call(this, m) }` with `Object.setPrototypeOf(X, Error)`: calling
 *   `Error` as a function returns a new object and leaves `this` untouched, and `X.prototype` does
 *   not inherit `Error.prototype`, so the thrown object has no `message` and is not `instanceof Error`.
 *   The host then reports:
 *     - Create/Update (grpcResponseFromError): the message `"undefined"` (status 2 UNKNOWN);
 *     - Check/Diff/Read/Delete (raw error to grpc-js): `"Unknown Error"` (status 2).
 *   Setting `this.message = m` (and `this.name`) in the constructor fixes it: the host reports exactly
 *   `m`. The error's `name` is never part of the reported message. For Check/Diff/Read/Delete, a
 *   numeric integer `code` property on the error becomes the gRPC status (e.g. 404), so do not put
 *   HTTP statuses in `code`. A Create error that carries `id` becomes ErrorResourceInitFailed
 *   (the engine then keeps the resource in state with that id).
 * - pulumi.log: `pulumi.log.info(m)` inside a provider prints `info: [runtime] m` on the host's
 *   stdout (warn: `warning: [runtime] m` on stderr); there is no engine connection in the host.
 * - Configure: the host reads only `args`, unwraps secret-wrapped values, and the provider's
 *   `configure(req)` runs lazily on the first CRUD call, once per `__provider` text per host.
 * - Serialized sizes: printed by the "serialization" tests (trivial provider ~0.5 KB, this file's
 *   record provider ~5 KB because its two error classes are inlined; a module under
 *   node_modules reached through its module object becomes a `require(...)`). Constants imported
 *   from a project module (`UNKNOWN` from harness/engine) are captured per property
 *   (`var __engine_1 = {UNKNOWN: "04da..."}`), not the whole module.
 */
import { expect } from "chai";
import * as http from "node:http";
import { type AddressInfo } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import axios from "axios";
import {
    bindResource,
    isSecret,
    liveHostPids,
    processExists,
    PROVIDER_KEY,
    type ProviderHost,
    ProviderHostError,
    secret,
    SECRET_SIG,
    serializeProvider,
    SPECIAL_SIG_KEY,
    startProviderHost,
    stripProvider,
    trivialHttpProvider,
    UNKNOWN,
    unwrapSecrets,
    urn,
    withProvider,
} from "../../harness/engine";

const TOKEN = "dop_v1_harness_token_0123456789abcdef";

/** Loses its message through closure serialization (the `super(message)` call is rewritten). */
class LostMessageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "LostMessageError";
    }
}

/** Keeps its message: sets it explicitly. */
class KeptMessageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "KeptMessageError";
        this.message = message;
    }
}

/** What the record provider reads from its property bags (test switches included). */
interface RecordProps {
    name?: string;
    size?: unknown;
    undefinedField?: unknown;
    gone?: boolean;
    failDelete?: string;
    [key: string]: unknown;
}

interface RecordProvider extends pulumi.dynamic.ResourceProvider<RecordProps, RecordProps> {
    token?: string;
}

/** Deterministic provider: a "record" with a `name` (replace on change) and a numeric `size`. */
const recordProvider: RecordProvider = {
    configure(req) {
        this.token = req.config.get("digitalocean:token");
        return Promise.resolve();
    },
    check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (typeof news.name !== "string" || news.name === "") {
            failures.push({ property: "name", reason: "name is required" });
        }
        if (news.size !== undefined && news.size !== UNKNOWN && typeof news.size !== "number") {
            failures.push({ property: "size", reason: `size must be a number, got ${typeof news.size}` });
        }
        // Outputs must be plain JSON: an `undefined` value makes the host fail ("Unexpected struct type.").
        const inputs: RecordProps = { size: news.size ?? 1 };
        if (news.name !== undefined) inputs.name = news.name;
        if (news.undefinedField) inputs.oops = undefined;
        return Promise.resolve({ inputs, failures });
    },
    diff(_id, olds, news) {
        const replaces = olds.name !== news.name ? ["name"] : [];
        const changes = replaces.length > 0 || olds.size !== news.size;
        return Promise.resolve({ changes, replaces, deleteBeforeReplace: replaces.length > 0 });
    },
    async create(inputs) {
        if (inputs.name === "lost") throw new LostMessageError("create failed: lost");
        if (inputs.name === "kept") throw new KeptMessageError("create failed: kept");
        if (inputs.name === "half") {
            throw Object.assign(new Error("created but not ready"), { id: "rec-half", reasons: ["not ready"] });
        }
        await pulumi.log.info(`creating record ${String(inputs.name)}`);
        return {
            id: `rec-${String(inputs.name)}`,
            // Derived from the configured token, never the token itself.
            outs: {
                name: inputs.name,
                size: inputs.size,
                configured: !!this.token,
                tokenLength: this.token?.length ?? -1,
            },
        };
    },
    read(id, props = {}) {
        if (props.gone) return Promise.resolve({ id: "" });
        return Promise.resolve({
            id,
            props: { ...props, refreshed: true },
            inputs: { name: props.name, size: props.size },
        });
    },
    update(_id, olds, news) {
        if (news.size === 13)
            return Promise.reject(new KeptMessageError(`update refused: size 13 (was ${String(olds.size)})`));
        return Promise.resolve({
            outs: { name: news.name, size: news.size, previousSize: olds.size, configured: !!this.token },
        });
    },
    async delete(id, props) {
        if (props.failDelete === "lost") throw new LostMessageError("delete failed: lost");
        if (props.failDelete === "kept") throw new KeptMessageError("delete failed: kept");
        if (props.failDelete === "code") throw Object.assign(new Error("delete failed: coded"), { code: 404 });
        await pulumi.log.info(`deleted ${id}`);
    },
};

/** The provider's view of what arrived, echoed back (to see exactly what the host passes). */
const echoProvider: pulumi.dynamic.ResourceProvider<Record<string, unknown>, Record<string, unknown>> = {
    check(olds, news) {
        return Promise.resolve({
            inputs: {
                ...news,
                sawOlds: Object.keys(olds)
                    .filter((k) => k !== "__provider")
                    .sort(),
            },
        });
    },
    create(inputs) {
        return Promise.resolve({
            id: "echo",
            outs: { ...inputs, wrapped: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "s3cr3t" } },
        });
    },
};

const RECORD = urn("test:Record", "r1");

describe("engine harness: dynamic-provider host", function () {
    let host: ProviderHost;
    let serialized: string;
    let pid: number;

    before(async function () {
        host = await startProviderHost();
        pid = host.pid;
        serialized = await serializeProvider(recordProvider);
        await host.configure({ "digitalocean:token": TOKEN });
    });
    after(async function () {
        await host?.stop();
        // The helper must not leave the host behind.
        expect(processExists(pid), "host process still alive after stop()").to.equal(false);
        expect(liveHostPids()).to.not.include(pid);
    });

    it("configure passes stack config to the provider's configure(req), which keeps it on `this`", async () => {
        const r = bindResource(host, serialized, RECORD);
        const { properties } = await r.create({ name: "cfg", size: 2 });
        expect(properties.configured).to.equal(true);
        expect(properties.tokenLength).to.equal(TOKEN.length);
        expect(JSON.stringify(properties)).to.not.include(TOKEN);
    });

    it("check returns the provider's inputs (plus __provider) and surfaces failures", async () => {
        const r = bindResource(host, serialized, RECORD);
        const ok = await r.check({}, { name: "a" });
        expect(ok.failures).to.deep.equal([]);
        expect(stripProvider(ok.inputs)).to.deep.equal({ name: "a", size: 1 });
        expect(ok.inputs[PROVIDER_KEY]).to.equal(serialized);

        const bad = await r.check({}, { size: "big" });
        expect(bad.failures).to.deep.equal([
            { property: "name", reason: "name is required" },
            { property: "size", reason: "size must be a number, got string" },
        ]);
    });

    it("check receives the unknown sentinel during preview and may accept it", async () => {
        const r = bindResource(host, serialized, RECORD);
        const res = await r.check({}, { name: "p", size: UNKNOWN });
        expect(res.failures).to.deep.equal([]);
        expect(res.inputs.size).to.equal(UNKNOWN);
    });

    it("check loads the provider from olds when the news' __provider is unknown", async () => {
        const res = await host.check(RECORD, withProvider({ name: "o" }, serialized), {
            name: "o",
            [PROVIDER_KEY]: UNKNOWN,
        });
        expect(res.failures).to.deep.equal([]);
        expect(stripProvider(res.inputs)).to.deep.equal({ name: "o", size: 1 });
        expect(res.inputs[PROVIDER_KEY], "host echoes the news' __provider").to.equal(UNKNOWN);
    });

    it("diff reports none / some / replaces with deleteBeforeReplace", async () => {
        const r = bindResource(host, serialized, RECORD);
        const olds = withProvider({ name: "a", size: 1 }, serialized);
        expect(await r.diff("rec-a", olds, { name: "a", size: 1 })).to.deep.equal({
            changes: "none",
            replaces: [],
            deleteBeforeReplace: false,
            diffs: [],
        });
        expect(await r.diff("rec-a", olds, { name: "a", size: 2 })).to.include({
            changes: "some",
            deleteBeforeReplace: false,
        });
        const replace = await r.diff("rec-a", olds, { name: "b", size: 1 });
        expect(replace).to.deep.include({ changes: "some", replaces: ["name"], deleteBeforeReplace: true });
    });

    it("create / read / update / delete round trip, outputs carrying __provider back as olds", async () => {
        const r = bindResource(host, serialized, RECORD);
        const { inputs } = await r.check({}, { name: "rt", size: 3 });
        const created = await r.create(inputs);
        expect(created.id).to.equal("rec-rt");
        expect(stripProvider(created.properties)).to.deep.equal({
            name: "rt",
            size: 3,
            configured: true,
            tokenLength: TOKEN.length,
        });
        expect(created.properties[PROVIDER_KEY], "host copies __provider into outputs").to.equal(serialized);

        // Read as on refresh: prior outputs as properties (they carry __provider), prior inputs as inputs.
        const read = await host.read(created.id, RECORD, created.properties, inputs);
        expect(read.id).to.equal("rec-rt");
        expect(read.properties.refreshed).to.equal(true);
        expect(stripProvider(read.inputs)).to.deep.equal({ name: "rt", size: 3 });
        expect(read.inputs[PROVIDER_KEY]).to.equal(serialized);

        const updated = await host.update(
            created.id,
            RECORD,
            read.properties,
            withProvider({ name: "rt", size: 4 }, serialized),
        );
        expect(stripProvider(updated.properties)).to.deep.equal({
            name: "rt",
            size: 4,
            previousSize: 3,
            configured: true,
        });
        expect(updated.properties[PROVIDER_KEY]).to.equal(serialized);

        host.clearOutput();
        await host.delete(created.id, RECORD, updated.properties);
        await host.waitForOutput("info: [runtime] deleted rec-rt");
    });

    it("read falls back to inputs when properties are empty (get/import)", async () => {
        const read = await host.read("rec-imp", RECORD, {}, withProvider({ name: "imp", size: 5 }, serialized));
        expect(read.id).to.equal("rec-imp");
        expect(stripProvider(read.properties)).to.deep.equal({ name: "imp", size: 5, refreshed: true });
    });

    it("a read returning an empty id means the resource is gone", async () => {
        const r = bindResource(host, serialized, RECORD);
        const read = await r.read("rec-x", { name: "x", gone: true });
        expect(read.id).to.equal("");
        expect(stripProvider(read.properties)).to.deep.equal({});
    });

    it("pulumi.log.info in a provider appears on the host's stdout, and the token never does", async () => {
        const r = bindResource(host, serialized, RECORD);
        await r.create({ name: "logged", size: 1 });
        const out = await host.waitForOutput("info: [runtime] creating record logged");
        expect(out).to.not.include(TOKEN);
    });

    describe("errors as the host reports them", () => {
        async function failure(p: Promise<unknown>): Promise<ProviderHostError> {
            try {
                await p;
            } catch (e) {
                expect(e).to.be.instanceOf(ProviderHostError);
                expect(e).to.be.instanceOf(Error);
                return e as ProviderHostError;
            }
            throw new Error("expected the host to report an error");
        }

        it('create: a custom Error subclass that relies on super(message) is reported as "undefined"', async () => {
            const r = bindResource(host, serialized, RECORD);
            const e = await failure(r.create({ name: "lost", size: 1 }));
            expect(e.message).to.equal("undefined");
            expect(e.code).to.equal(2);
            expect(e.method).to.equal("Create");
        });

        it("create: a custom Error subclass that sets this.message is reported verbatim", async () => {
            const r = bindResource(host, serialized, RECORD);
            const e = await failure(r.create({ name: "kept", size: 1 }));
            expect(e.message).to.equal("create failed: kept");
            expect(e.code).to.equal(2);
            expect(e.initFailure).to.equal(undefined);
        });

        it("create: an error carrying id is reported as a resource-init failure", async () => {
            const r = bindResource(host, serialized, RECORD);
            const e = await failure(r.create({ name: "half", size: 1 }));
            expect(e.message).to.equal("created but not ready");
            expect(e.initFailure).to.deep.equal({ id: "rec-half", properties: {}, reasons: ["not ready"] });
        });

        it("update: the message is reported verbatim", async () => {
            const r = bindResource(host, serialized, RECORD);
            const e = await failure(r.update("rec-u", { name: "u", size: 3 }, { name: "u", size: 13 }));
            expect(e.message).to.equal("update refused: size 13 (was 3)");
            expect(e.code).to.equal(2);
        });

        it('delete: lost message is "Unknown Error"; kept message verbatim; a numeric code becomes the gRPC status', async () => {
            const r = bindResource(host, serialized, RECORD);
            const lost = await failure(r.delete("rec-d", { name: "d", failDelete: "lost" }));
            expect(lost.message).to.equal("Unknown Error");
            expect(lost.code).to.equal(2);
            const kept = await failure(r.delete("rec-d", { name: "d", failDelete: "kept" }));
            expect(kept.message).to.equal("delete failed: kept");
            expect(kept.code).to.equal(2);
            const coded = await failure(r.delete("rec-d", { name: "d", failDelete: "code" }));
            expect(coded.message).to.equal("delete failed: coded");
            expect(coded.code).to.equal(404);
            // Check/Diff/Read/Delete failures are also printed by the host on stderr as `${e}: ${e.stack}`;
            // for a serialized custom error class (not an Error at all) that is "[object Object]: undefined",
            // the message is absent; a plain Error prints its message and stack.
            const out = await host.waitForOutput("Error: delete failed: coded: Error: delete failed: coded");
            expect(out).to.include("[object Object]: undefined");
            expect(out).to.not.include("delete failed: kept");
        });

        it('an undefined value in a provider\'s result fails with "Unexpected struct type."', async () => {
            const r = bindResource(host, serialized, RECORD);
            const e = await failure(r.check({}, { name: "u", undefinedField: true }));
            expect(e.message).to.equal("Unexpected struct type.");
            expect(e.method).to.equal("Check");
        });

        it("a call without __provider fails with the host's message", async () => {
            const e = await failure(host.create(RECORD, { name: "np" }));
            expect(e.message).to.match(/code must be a string/);
        });
    });
});

describe("engine harness: configure semantics", function () {
    const hosts: ProviderHost[] = [];
    after(async () => {
        const pids = hosts.map((h) => h.pid);
        await Promise.all(hosts.map((h) => h.stop()));
        for (const p of pids) expect(processExists(p), `host ${p} still alive`).to.equal(false);
    });

    async function started(): Promise<ProviderHost> {
        const h = await startProviderHost();
        hosts.push(h);
        return h;
    }

    it("reads `args` only (variables are ignored), unwraps secret config, and configures lazily once", async () => {
        const [viaVariables, viaSecretArgs] = await Promise.all([started(), started()]);
        const serialized = await serializeProvider(recordProvider);

        await viaVariables.configure({ "digitalocean:token": TOKEN }, { send: "variables" });
        const a = await bindResource(viaVariables, serialized, RECORD).create({ name: "v", size: 1 });
        expect(a.properties).to.include({ configured: false, tokenLength: -1 });

        await viaSecretArgs.configure({ "digitalocean:token": secret(TOKEN) }, { send: "args" });
        const b = await bindResource(viaSecretArgs, serialized, RECORD).create({ name: "s", size: 1 });
        expect(b.properties).to.include({ configured: true, tokenLength: TOKEN.length });

        // The provider was configured on first use; a later Configure does not reach it.
        await viaSecretArgs.configure({ "digitalocean:token": "x" });
        const c = await bindResource(viaSecretArgs, serialized, RECORD).create({ name: "s2", size: 1 });
        expect(c.properties).to.include({ tokenLength: TOKEN.length });
        expect(viaSecretArgs.output() + viaVariables.output()).to.not.include(TOKEN);
    });
});

describe("engine harness: values, secrets, serialization, cleanup", function () {
    let host: ProviderHost;
    before(async () => {
        host = await startProviderHost({ env: { DIGITALOCEAN_TOKEN: undefined, HARNESS_MARKER: "1" } });
        await host.configure({});
    });
    after(async () => {
        const pid = host?.pid;
        await host?.stop();
        if (pid) expect(processExists(pid)).to.equal(false);
    });

    it("passes secret-wrapped values through unchanged; unwrapSecrets/isSecret handle them", async () => {
        const serialized = await serializeProvider(echoProvider);
        const r = bindResource(host, serialized, urn("test:Echo", "e"));
        const checked = await r.check({ old: 1 }, { plain: "p", pw: secret("hunter2"), list: [secret(1), 2] });
        expect(checked.inputs.sawOlds).to.deep.equal(["old"]);
        expect(isSecret(checked.inputs.pw)).to.equal(true, "the host does not unwrap secrets in check");
        expect(isSecret(checked.inputs.plain)).to.equal(false);
        expect(unwrapSecrets(stripProvider(checked.inputs))).to.deep.equal({
            plain: "p",
            pw: "hunter2",
            list: [1, 2],
            sawOlds: ["old"],
        });

        const created = await r.create({ n: 1 });
        expect(isSecret(created.properties.wrapped)).to.equal(true);
        expect(unwrapSecrets(created.properties.wrapped)).to.equal("s3cr3t");
        expect(unwrapSecrets({ a: { b: secret(secret("x")) } })).to.deep.equal({ a: { b: "x" } });
    });

    it("urn builds a dynamic-resource URN", () => {
        expect(urn("docr:Registry", "main")).to.equal(
            "urn:pulumi:test::docr::pulumi-nodejs:dynamic/docr:Registry::main",
        );
        expect(urn("pulumi-nodejs:dynamic:Resource", "x", { stack: "dev" })).to.equal(
            "urn:pulumi:dev::docr::pulumi-nodejs:dynamic:Resource::x",
        );
    });

    it("serialization: a trivial provider is small; pulumi.log becomes a require of @pulumi/pulumi", async function () {
        const trivial = await serializeProvider({
            create() {
                return Promise.resolve({ id: "t", outs: {} });
            },
        });
        const record = await serializeProvider(recordProvider);
        console.log(`      serialized sizes: trivial ${trivial.length} B, record provider ${record.length} B`);
        expect(trivial).to.match(/^exports\.handler = __f0;/);
        expect(trivial.length).to.be.lessThan(1000);
        expect(record.length).to.be.lessThan(8000);
        expect(record).to.include('require("@pulumi/pulumi/log/index.js")');
        expect(record).to.not.include(TOKEN);
    });

    it("serialization: axios reached through its module object is a require, not inlined", async function () {
        const viaModule = await serializeProvider({
            async create() {
                const res = await axios.get("http://127.0.0.1:9/");
                return { id: String(res.status), outs: {} };
            },
        });
        const ax = axios; // captured directly, not through the module object
        const direct = await serializeProvider({
            async create() {
                const res = await ax.get("http://127.0.0.1:9/");
                return { id: String(res.status), outs: {} };
            },
        });
        console.log(
            `      serialized sizes: axios via module ${viaModule.length} B, axios captured directly ${direct.length} B`,
        );
        expect(viaModule).to.match(/require\("axios[^"]*"\)/);
        expect(viaModule.length).to.be.lessThan(1500);
        expect(direct.length).to.be.lessThan(1500);
        expect(direct).to.match(/require\("axios[^"]*"\)/);
    });

    it("trivialHttpProvider makes exactly one GET per create, through the host", async () => {
        const paths: string[] = [];
        const server = http.createServer((req, res) => {
            paths.push(`${req.method} ${req.url}`);
            res.end("ok");
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const { port } = server.address() as AddressInfo;
            const serialized = await serializeProvider(trivialHttpProvider(`http://127.0.0.1:${port}/v2/registry`));
            const r = bindResource(host, serialized, urn("test:Http", "h"));
            const created = await r.create({ name: "h" });
            expect(created.id).to.equal("200-h");
            expect(stripProvider(created.properties)).to.deep.equal({ status: 200, body: "ok" });
            expect(paths).to.deep.equal(["GET /v2/registry"]);
        } finally {
            server.close();
        }
    });

    it("env option reaches the host (keys set, DIGITALOCEAN_TOKEN removed)", async () => {
        const serialized = await serializeProvider({
            create() {
                return Promise.resolve({
                    id: "env",
                    outs: { marker: process.env.HARNESS_MARKER ?? null, token: process.env.DIGITALOCEAN_TOKEN ?? null },
                });
            },
        });
        const created = await bindResource(host, serialized, urn("test:Env", "e")).create({});
        expect(stripProvider(created.properties)).to.deep.equal({ marker: "1", token: null });
    });

    it("stop() kills the host, is idempotent, and later calls reject", async () => {
        const h = await startProviderHost();
        expect(liveHostPids()).to.include(h.pid);
        expect(processExists(h.pid)).to.equal(true);
        await h.stop();
        await h.stop();
        expect(processExists(h.pid)).to.equal(false);
        expect(liveHostPids()).to.not.include(h.pid);
        let err: unknown;
        await h.configure({}).catch((e: unknown) => {
            err = e;
        });
        expect(String(err)).to.match(/stopped/);
    });

    it("a host that cannot start rejects and leaves no process behind", async () => {
        const before = liveHostPids().length;
        let err: unknown;
        await startProviderHost({ cwd: "/nonexistent-dir-for-harness" }).catch((e: unknown) => {
            err = e;
        });
        expect(err).to.be.instanceOf(Error);
        expect(liveHostPids().length).to.equal(before);
    });
});
