import { expect } from "chai";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { generateRepository, type RunningEmulator } from "../../emulator";
import { at, call, SMALL_FIXTURE, start, wait } from "./helpers";

type Node = Record<string, unknown>;
const SPEC_PATH = join(__dirname, "..", "..", "..", "shared", "api", "do-registry-openapi.yaml");

/** Self-check of emulator responses against the reference OpenAPI file (full contract tests live elsewhere). */
describe("emulator: responses conform to the OpenAPI schemas", () => {
    const spec = load(readFileSync(SPEC_PATH, "utf8")) as Node;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: "spec", components: spec.components }, "spec");

    const operations = new Map<string, Node>();
    for (const pathItem of Object.values(spec.paths as Node)) {
        for (const op of Object.values(pathItem as Node)) {
            const o = op as Node;
            if (typeof o.operationId === "string") operations.set(o.operationId, o);
        }
    }

    function check(operationId: string, status: number, body: unknown): void {
        const op = operations.get(operationId);
        expect(op, operationId).to.not.equal(undefined);
        const responses = op?.responses as Node;
        let resp = (responses[String(status)] ?? responses.default) as Node;
        expect(resp, `${operationId} ${status}`).to.not.equal(undefined);
        if (typeof resp.$ref === "string") resp = at(spec, resp.$ref.slice(2).replace(/\//g, ".")) as Node;
        const schema = at(resp, "content") ? ((resp.content as Node)["application/json"] as Node).schema : undefined;
        if (!schema) {
            expect(body, `${operationId} ${status} has no body`).to.equal(undefined);
            return;
        }
        const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"spec#/components')) as Node;
        const validate = ajv.compile(rewritten);
        expect(validate(body), `${operationId} ${status}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
    }

    let emu: RunningEmulator;
    before(async () => {
        emu = await start({ fixture: SMALL_FIXTURE, gcStepMs: 10 });
        emu.seed({
            registries: [
                { name: "acme", repositories: [generateRepository({ name: "gen", tagCount: 30, untaggedCount: 3 })] },
            ],
        });
    });
    after(() => emu.stop());

    const cases: [string, string, string, unknown?][] = [
        ["registries_list", "GET", "/v2/registries"],
        ["registries_get", "GET", "/v2/registries/acme"],
        ["registries_get_options", "GET", "/v2/registries/options"],
        ["registries_get_subscription", "GET", "/v2/registries/subscription"],
        ["registries_update_subscription", "POST", "/v2/registries/subscription", { tier_slug: "professional" }],
        ["registries_create", "POST", "/v2/registries", { name: "other", region: "sfo2" }],
        ["registries_validate_name", "POST", "/v2/registries/validate-name", { name: "free-one" }],
        ["registries_validate_name", "POST", "/v2/registries/validate-name", { name: "acme" }],
        ["registries_get_dockerCredentials", "GET", "/v2/registries/acme/docker-credentials?read_write=true"],
        ["registries_list_repositoriesV2", "GET", "/v2/registries/acme/repositoriesV2?per_page=1"],
        ["registries_list_repositoryTags", "GET", "/v2/registries/acme/repositories/gen/tags?per_page=5&page=2"],
        ["registries_list_repositoryManifests", "GET", "/v2/registries/acme/repositories/gen/digests?per_page=5"],
        ["registries_run_garbageCollection", "POST", "/v2/registries/acme/garbage-collection", {}],
        ["registries_get_garbageCollection", "GET", "/v2/registries/acme/garbage-collection"],
        ["registries_list_garbageCollections", "GET", "/v2/registries/acme/garbage-collections"],
        ["registries_delete_repositoryTag", "DELETE", "/v2/registries/acme/repositories/team%2Fapp/tags/v1"],
        [
            "registries_delete_repositoryManifest",
            "DELETE",
            "/v2/registries/acme/repositories/team%2Fapp/digests/sha256:old",
        ],
        ["registries_delete_repository", "DELETE", "/v2/registries/acme/repositories/gen"],
        ["registries_get", "GET", "/v2/registries/missing"],
        ["registries_delete", "DELETE", "/v2/registries/other"],
    ];
    for (const [operationId, method, path, body] of cases) {
        it(`${operationId}: ${method} ${path}`, async () => {
            const r = await call(emu, method, path, body);
            expect(r.status).to.be.below(500);
            check(operationId, r.status, r.text === "" ? undefined : JSON.parse(r.text));
            const logged = emu.requests().at(-1);
            expect(logged?.operationId).to.equal(operationId);
        });
    }

    it("the checker itself rejects a wrong field type", () => {
        expect(() => check("registries_get", 200, { registry: { name: 5 } })).to.throw(/registries_get 200/);
        expect(() => check("registries_get", 404, { message: "no id" })).to.throw();
    });

    it("registries_update_garbageCollection: PUT cancel", async () => {
        await wait(60);
        const started = await call(emu, "POST", "/v2/registries/acme/garbage-collection", {});
        const uuid = String(at(started.json, "garbage_collection.uuid"));
        const r = await call(emu, "PUT", `/v2/registries/acme/garbage-collection/${uuid}`, { cancel: true });
        check("registries_update_garbageCollection", r.status, r.json);
    });
});
