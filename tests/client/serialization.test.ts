import { expect } from "chai";
import Module from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DocrClient, errorKind } from "../../provider/client";
import { apiError, FakeServer, json, startFakeServer, TOKEN } from "./fake-server";

/**
 * The client is reached from dynamic providers that Pulumi serializes by closure serialization.
 * Run it the way the host does: serialize, write, require, call.
 */
describe("client under closure serialization", function () {
  this.timeout(60_000);
  let server: FakeServer;
  const saved = process.env.DIGITALOCEAN_TOKEN;

  before(async () => {
    server = await startFakeServer((seen, res) => {
      if (seen.url.includes("/tags")) return json(res, 200, { tags: [{ tag: "a" }, { tag: "b" }], meta: { total: 2 } });
      apiError(res, 404, "not_found", "nope", {}, "req-9");
    });
  });
  after(async () => {
    await server.close();
    if (saved === undefined) delete process.env.DIGITALOCEAN_TOKEN;
    else process.env.DIGITALOCEAN_TOKEN = saved;
  });

  it("lists and reports errors (message, name, kind) after serialization; the token is not captured", async () => {
    process.env.DIGITALOCEAN_TOKEN = TOKEN;
    const operation = async (apiUrl: string) => {
      const client = new DocrClient({ apiUrl, retryBaseDelayMs: 1, maxRequestsPerMinute: 6_000_000 });
      const tags: string[] = [];
      for await (const t of client.listTags("acme", "team/app")) tags.push(t.tag);
      try {
        await client.getRegistry("ghost");
        return { tags };
      } catch (err) {
        const e = err as Error & { kind?: string };
        return { tags, error: e, message: e.message, name: e.name, kind: e.kind };
      }
    };
    const serialized = await pulumi.runtime.serializeFunction(operation, { allowSecrets: true });
    expect(serialized.text).not.to.include(TOKEN);
    const mod = loadModule(serialized.text) as Record<string, typeof operation>;
    const result = (await mod[serialized.exportName]!(server.url)) as { tags: string[]; error: unknown; message: string; name: string; kind: string };
    expect(result.tags).to.deep.equal(["a", "b"]);
    expect(result.message).to.equal('registries_get: registry "ghost" not found (404 not_found, request req-9)');
    expect(result.name).to.equal("NotFoundError");
    expect(errorKind(result.error)).to.equal("not_found");
    expect(result.error instanceof DocrClient).to.equal(false);
    expect(server.requests.at(-1)!.headers.authorization).to.equal(`Bearer ${TOKEN}`);
  });
});

/** Compiles module text as if it sat in the project root (so its `require`s resolve like the host's). */
function loadModule(text: string): unknown {
  const root = path.resolve(__dirname, "../..");
  const filename = path.join(root, "__serialized_provider__.js");
  type Compilable = Module & { _compile(code: string, filename: string): void; paths: string[] };
  const ModuleCtor = Module as unknown as { new (id: string, parent?: Module): Compilable; _nodeModulePaths(dir: string): string[] };
  const mod = new ModuleCtor(filename, module);
  mod.filename = filename;
  mod.paths = ModuleCtor._nodeModulePaths(root);
  mod._compile(text, filename);
  return mod.exports;
}
