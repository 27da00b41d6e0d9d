/**
 * The contract: DigitalOcean's OpenAPI description, read from `../shared/api/` at test time (never
 * copied into the project), compiled by openapi-backend (ajv underneath, formats from ajv-formats).
 *
 * `checkExchange` validates one recorded request/response pair: the request against its operation
 * (method, path parameters, query, body), the response against that operation's schema for the
 * status, plus its `ratelimit-*` headers. The file's known rough edges are handled below, each
 * scoped to the one operation and field concerned (see ROUGH EDGES).
 */
import addFormats from "ajv-formats";
import { load } from "js-yaml";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { OpenAPIBackend, SetMatchType, ValidationContext, type Operation } from "openapi-backend";
import type { ErrorObject } from "ajv";
import type { Exchange } from "./proxy";

/** The project root (two levels above tests/contract). */
export const PROJECT_ROOT = resolve(__dirname, "..", "..");
/** The reference OpenAPI file, beside the project (shared/), read as it is at test time. */
export const SPEC_PATH = resolve(PROJECT_ROOT, "..", "shared", "api", "do-registry-openapi.yaml");
/** The DOKS registry-integration subset of the same public spec (cluster reads, `/v2/kubernetes/registr{y,ies}`). */
export const KUBERNETES_SPEC_PATH = resolve(PROJECT_ROOT, "..", "shared", "api", "do-kubernetes-registry-openapi.yaml");

type Node = Record<string, unknown>;

/** A compiled contract plus the raw (un-dereferenced) document for facts about the file itself. */
export interface Contract {
    api: OpenAPIBackend;
    raw: Node;
    /** operationIds of the name-addressed API (`/v2/registries...`): the 19 the client implements. */
    nameAddressed: string[];
}

const cached = new Map<string, Promise<Contract>>();

/** Loads and compiles a spec (default: the registry one) once per process. */
export function loadContract(specPath: string = SPEC_PATH): Promise<Contract> {
    const loaded = cached.get(specPath);
    if (loaded) return loaded;
    const loading = (async () => {
        const text = readFileSync(specPath, "utf8");
        const raw = load(text) as Node;
        const api = new OpenAPIBackend({
            definition: load(text) as never,
            strict: true, // a spec that is not valid OpenAPI 3.0 fails the suite instead of warning
            validate: true,
            quick: false,
            ajvOpts: { allErrors: true, strict: false },
            // Real `date-time`/`uri` checks instead of "unknown format ignored".
            customizeAjv: (ajv) => {
                addFormats(ajv);
                // The DOKS file's subnets (`format: cidr`), which ajv-formats does not define.
                ajv.addFormat("cidr", /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/);
                return ajv;
            },
        });
        await api.init();
        const nameAddressed: string[] = [];
        for (const [path, item] of Object.entries(raw.paths as Node)) {
            if (!path.startsWith("/v2/registries")) continue;
            for (const op of Object.values(item as Node)) {
                const id = (op as Node).operationId;
                if (typeof id === "string") nameAddressed.push(id);
            }
        }
        return { api, raw, nameAddressed };
    })();
    cached.set(specPath, loading);
    return loading;
}

/** Every operationId the spec declares. */
export function operationIds(contract: Contract): string[] {
    return Object.values(contract.raw.paths as Node).flatMap((item) =>
        Object.values(item as Node)
            .map((op) => (op as Node).operationId)
            .filter((id): id is string => typeof id === "string"),
    );
}

/** ajv errors as one readable line each. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
    return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

/** The outcome of checking one exchange. */
export interface CheckResult {
    /** operationId the spec's router matched for the request (undefined: no operation matches). */
    operationId?: string;
    requestErrors: string[];
    responseErrors: string[];
    /** Which response key of the operation applied (`"404"`, `"default"`, …). */
    responseKey?: string;
}

// ---------------------------------------------------------------------------------------------
// ROUGH EDGES of the OpenAPI file (shared/api/README.md, "Known rough edges"), each scoped.
// ---------------------------------------------------------------------------------------------

/**
 * Query parameters an operation does not declare although the API honours them, with the operation
 * whose declaration applies instead. They are validated against that declaration, then removed
 * before the operation's own check (which rejects undeclared query parameters).
 */
const BORROWED_QUERY: Record<string, { from: string; names: string[] }> = {
    // The name-addressed docker-credentials op omits read_write/expiry_seconds; the legacy op declares
    // them and the API honours them on both (README rough edges; reference prose of the operation).
    registries_get_dockerCredentials: {
        from: "registry_get_dockerCredentials",
        names: ["read_write", "expiry_seconds"],
    },
};

/**
 * Request bodies an operation does not declare at all, with the operation whose body schema applies.
 * Without this, openapi-backend would let any body through for an operation that declares none.
 */
const BORROWED_BODY: Record<string, string> = {
    // POST …/{name}/garbage-collection declares no body; the legacy op's optional `registry_run_gc`
    // (`{type}`) is the body the API takes, and the client sends it only when a type is asked for.
    registries_run_garbageCollection: "registry_run_gc",
};

function operation(api: OpenAPIBackend, operationId: string): Operation {
    const op = api.router.getOperation(operationId);
    if (!op) throw new Error(`operation ${operationId} is not in the spec`);
    return op;
}

/** Validates borrowed query parameters against the declaring operation's parameter schemas. */
function checkBorrowedQuery(api: OpenAPIBackend, operationId: string, query: URLSearchParams): string[] {
    const rule = BORROWED_QUERY[operationId];
    if (!rule) return [];
    const from = operation(api, rule.from);
    const present = new URLSearchParams();
    for (const name of rule.names) {
        const value = query.get(name);
        if (value !== null) present.set(name, value);
        query.delete(name);
    }
    if ([...present.keys()].length === 0) return [];
    // Validate as a request to the legacy path: only its parameters (and no body) are involved.
    const result = api.validator.validateRequest(
        { method: from.method, path: from.path, headers: {}, query: present.toString() },
        from,
    );
    return describeErrors(result.errors).map((e) => `${e} (borrowed from ${rule.from})`);
}

function checkBorrowedBody(contract: Contract, operationId: string, body: unknown): string[] {
    const schemaName = BORROWED_BODY[operationId];
    if (!schemaName || body === undefined) return [];
    const schema = ((contract.raw.components as Node).schemas as Node)[schemaName];
    const ajv = contract.api.validator.getAjv(ValidationContext.RequestBody);
    const validate = ajv.compile(schema as object);
    return validate(body) ? [] : describeErrors(validate.errors).map((e) => `${e} (body schema ${schemaName})`);
}

// ---------------------------------------------------------------------------------------------

/** Parses a recorded body: JSON when it parses, else the raw text; undefined when empty. */
export function parseBody(text: string): unknown {
    if (text === "") return undefined;
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

/** Validates the request of an exchange against the operation the spec routes it to. */
export function checkRequest(contract: Contract, ex: Exchange): { operationId?: string; errors: string[] } {
    const { api } = contract;
    const url = new URL(ex.url, "http://127.0.0.1");
    const matched = api.router.matchOperation({ method: ex.method, path: url.pathname, headers: {} });
    if (!matched?.operationId) return { errors: [`no operation in the spec for ${ex.method} ${url.pathname}`] };
    const operationId = matched.operationId;
    const query = new URLSearchParams(url.search);
    const errors = checkBorrowedQuery(api, operationId, query);
    // Every operation falls under the document's `security: bearer_auth` (openapi-backend only
    // checks security when it dispatches to handlers, so it is checked here).
    if (ex.bearer === false) errors.push(`${operationId}: no "Authorization: Bearer <token>" (security: bearer_auth)`);
    const body = parseBody(ex.requestBody);
    if (matched.requestBody === undefined) {
        if (BORROWED_BODY[operationId]) errors.push(...checkBorrowedBody(contract, operationId, body));
        else if (body !== undefined)
            errors.push(`${operationId} declares no request body, got ${ex.requestBody.slice(0, 80)}`);
    } else if (body !== undefined && !/^application\/json\b/i.test(header(ex.requestHeaders, "content-type"))) {
        errors.push(
            `${operationId}: body sent as "${header(ex.requestHeaders, "content-type")}", the spec takes application/json`,
        );
    }
    const result = api.validator.validateRequest(
        {
            method: ex.method,
            path: url.pathname,
            headers: definedHeaders(ex.requestHeaders),
            query: query.toString(),
            ...(body === undefined ? {} : { body: body as object }),
        },
        matched,
    );
    errors.push(...describeErrors(result.errors));
    return { operationId, errors };
}

/** Validates a response (body for its status, `ratelimit-*` headers) against an operation. */
export function checkResponse(
    contract: Contract,
    operationId: string,
    status: number,
    bodyText: string,
    headers: Record<string, string | string[] | undefined>,
): { key?: string; errors: string[] } {
    const { api } = contract;
    const op = operation(api, operationId);
    const responses = (op.responses ?? {}) as Node;
    const key = String(status) in responses ? String(status) : "default" in responses ? "default" : undefined;
    if (!key) return { errors: [`${operationId} declares neither ${status} nor default`] };
    const errors: string[] = [];
    const body = parseBody(bodyText);
    if (typeof body === "string") errors.push(`${operationId} ${status}: body is not JSON: ${body.slice(0, 80)}`);
    // A 204 (no content) is validated as `null` by openapi-backend: an empty body must be exactly that.
    const result = api.validator.validateResponse(body === undefined ? null : body, op, status);
    errors.push(...describeErrors(result.errors).map((e) => `body ${e}`));
    if (status >= 400) {
        // The spec's `error` schema requires only id and message; the reference says every error carries
        // request_id too, so the emulator's are held to that (a tightening, scoped to error bodies).
        const rid = (body as Node | undefined)?.request_id;
        if (typeof rid !== "string" || rid === "")
            errors.push(`${operationId} ${status}: error body has no request_id`);
    }
    const h = api.validator.validateResponseHeaders(headers, op, {
        statusCode: status,
        setMatchType: SetMatchType.Superset,
    });
    errors.push(...describeErrors(h.errors).map((e) => `headers ${e}`));
    return { key, errors };
}

/** Request and response of a recorded exchange, against the operation the spec routes it to. */
export function checkExchange(contract: Contract, ex: Exchange): CheckResult {
    const req = checkRequest(contract, ex);
    if (!req.operationId) return { requestErrors: req.errors, responseErrors: [] };
    if (ex.status === 0)
        return {
            operationId: req.operationId,
            requestErrors: req.errors,
            responseErrors: ["no response (connection dropped)"],
        };
    const res = checkResponse(contract, req.operationId, ex.status, ex.responseBody, ex.responseHeaders);
    return {
        operationId: req.operationId,
        requestErrors: req.errors,
        responseErrors: res.errors,
        ...(res.key ? { responseKey: res.key } : {}),
    };
}

function definedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = v;
    return out;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
    const v = headers[name];
    return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

/** Every failure of a batch of exchanges, one line each (empty: all conform). */
export function failures(
    contract: Contract,
    exchanges: readonly Exchange[],
    opts: { requests?: boolean } = {},
): string[] {
    const out: string[] = [];
    for (const ex of exchanges) {
        const r = checkExchange(contract, ex);
        const tag = `${ex.method} ${ex.url} -> ${ex.status} (${r.operationId ?? "?"})`;
        if (opts.requests !== false) for (const e of r.requestErrors) out.push(`${tag} request: ${e}`);
        for (const e of r.responseErrors) out.push(`${tag} response: ${e}`);
    }
    return out;
}
