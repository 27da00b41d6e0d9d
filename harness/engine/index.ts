/**
 * Test helper: drive `@pulumi/pulumi`'s real dynamic-provider host over the provider gRPC protocol,
 * exactly as the Pulumi engine does, without a Pulumi CLI.
 *
 * (Split by responsibility: `props.ts` property bags and secrets, `host.ts` the host's interface and
 * errors, `process.ts` the host process, `calls.ts` the gRPC calls, `start.ts` `startProviderHost`,
 * `bind.ts` `bindResource` and `trivialHttpProvider`.)
 *
 * Typical use (one host per `describe`, always stopped in `after`):
 *
 * ```ts
 * import { startProviderHost, serializeProvider, urn, bindResource, ProviderHost } from "../../harness/engine";
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
 * - **Where the real engine differs** (tests/e2e, Pulumi CLI 3.274.1): for a replacement it calls
 *   Check again with *no olds*, so a check must not take "no olds" to mean "a new name"; an error
 *   thrown from Check reaches the user wrapped in the host's stack trace (return a failure); `pulumi
 *   import` and the `import` option call Read without `__provider`, which the host cannot serve;
 *   `pulumi.log` lines show under the stack's Diagnostics as `info: [runtime] ...`.
 * - A Configure without `args` makes the 3.270 host throw inside an async handler and never answer
 *   (the call would hang until its deadline); this helper always sends `args`.
 */
export {
    isSecret,
    PROJECT_ROOT,
    PROVIDER_KEY,
    secret,
    SECRET_SIG,
    serializeProvider,
    SPECIAL_SIG_KEY,
    stripProvider,
    UNKNOWN,
    unwrapSecrets,
    urn,
    withProvider,
} from "./props";
export type { Props, WrappedSecret } from "./props";
export { ProviderHostError } from "./host";
export type {
    CheckResult,
    CreateResult,
    DiffResult,
    ProviderHost,
    ReadResult,
    StartOptions,
    UpdateResult,
} from "./host";
export { liveHostPids, processExists } from "./process";
export { startProviderHost } from "./start";
export { bindResource, trivialHttpProvider } from "./bind";
export type { BoundResource } from "./bind";
