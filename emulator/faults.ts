import { mulberry32, randomRng, type Rng } from "./random";

/**
 * A fault to inject (see docs/CONTRACTS.md). All given matchers must match; the first matching
 * rule that fires wins. Without `afterHandling` the fault replaces the handling (nothing changes);
 * with it the handler runs (state changes) and the fault then spoils the response.
 */
export interface FaultRule {
    /** OpenAPI operationId, e.g. `registries_create`. */
    operationId?: string;
    /** HTTP method, case-insensitive. */
    method?: string;
    /** Prefix of the raw request path, e.g. `/v2/registries/prod`. */
    pathPrefix?: string;
    /** Probability (0..1) a matching request is hit. Default 1. Seeded when the emulator has a seed. */
    rate?: number;
    /** Stop after injecting this many times. Default: unlimited. */
    times?: number;
    /** Answer with this status and an `{id, message, request_id}` body. */
    status?: number;
    /** Adds `Retry-After` to the faulted response. */
    retryAfterSeconds?: number;
    /** Delay before answering (before handling, or after it with `afterHandling`). */
    latencyMs?: number;
    /** `"json"` (or true): a truncated, unparseable body. `"schema"`: valid JSON with a wrong field type. */
    malformedBody?: boolean | "json" | "schema";
    /**
     * Answer with exactly this JSON value as the body (status `status`, else 200): an answer of
     * another shape than documented, such as `{}` or `{"registries": null}` for a list.
     */
    body?: unknown;
    /** Destroy the socket without any response. */
    dropConnection?: boolean;
    /** Let the server act first, then spoil the response (lost response of a successful create). */
    afterHandling?: boolean;
}

/** How a fault showed up, as recorded in the request log. */
export interface FaultRecord {
    /** Index of the rule in the current rule list. */
    rule: number;
    /** The visible effect: drop beats body beats status beats malformed body beats latency. */
    kind: "drop" | "status" | "body" | "malformed" | "latency";
    status?: number;
    latencyMs?: number;
    malformedBody?: "json" | "schema";
    afterHandling: boolean;
}

/** What is being requested, for matching. */
export interface FaultTarget {
    operationId: string;
    method: string;
    path: string;
}

/** A rule chosen for a request. */
export interface FaultHit {
    rule: FaultRule;
    record: FaultRecord;
}

/** Throws an Error naming the first invalid field. */
export function validateFaultRules(v: unknown): FaultRule[] {
    if (!Array.isArray(v)) throw new Error("faults must be an array of rules");
    v.forEach((r: unknown, i) => {
        if (typeof r !== "object" || r === null || Array.isArray(r)) throw new Error(`faults[${i}] must be an object`);
        const o = r as Record<string, unknown>;
        const num = (k: string, min: number, max: number): void => {
            const x = o[k];
            if (x !== undefined && (typeof x !== "number" || !(x >= min && x <= max)))
                throw new Error(`faults[${i}].${k} must be a number in ${min}..${max}`);
        };
        num("rate", 0, 1);
        num("times", 0, Number.MAX_SAFE_INTEGER);
        num("status", 100, 599);
        num("retryAfterSeconds", 0, 86400);
        num("latencyMs", 0, 600000);
        for (const k of ["operationId", "method", "pathPrefix"]) {
            if (o[k] !== undefined && typeof o[k] !== "string") throw new Error(`faults[${i}].${k} must be a string`);
        }
        const mb = o.malformedBody;
        if (mb !== undefined && typeof mb !== "boolean" && mb !== "json" && mb !== "schema") {
            throw new Error(`faults[${i}].malformedBody must be true, "json" or "schema"`);
        }
    });
    return v as FaultRule[];
}

/** Holds the rules, their hit counters and the PRNG that decides `rate`. */
export class FaultInjector {
    private rules: FaultRule[] = [];
    private hits: number[] = [];
    private rng: Rng;

    constructor(
        private readonly seed: number | undefined,
        rules: FaultRule[] = [],
    ) {
        this.rng = randomRng();
        this.set(rules);
    }

    /** Replaces the rules; counters and (when seeded) the PRNG restart, so runs are repeatable. */
    set(rules: FaultRule[]): void {
        this.rules = validateFaultRules(rules).map((r) => ({ ...r }));
        this.hits = this.rules.map(() => 0);
        this.rng = this.seed === undefined ? randomRng() : mulberry32(this.seed ^ 0x5eed);
    }

    /** A copy of the current rules. */
    list(): FaultRule[] {
        return this.rules.map((r) => ({ ...r }));
    }

    /** How many times each rule fired since the rules were set (a latency fault fires as its wait begins). */
    hitCounts(): number[] {
        return [...this.hits];
    }

    /** Picks the fault for a request, consuming one `times` if it fires. */
    pick(t: FaultTarget): FaultHit | undefined {
        for (let i = 0; i < this.rules.length; i++) {
            const rule = this.rules[i];
            if (!rule || !matches(rule, t)) continue;
            if (rule.times !== undefined && (this.hits[i] ?? 0) >= rule.times) continue;
            const rate = rule.rate ?? 1;
            if (rate < 1 && this.rng() >= rate) continue;
            this.hits[i] = (this.hits[i] ?? 0) + 1;
            return { rule, record: describe(rule, i) };
        }
        return undefined;
    }
}

function matches(rule: FaultRule, t: FaultTarget): boolean {
    if (rule.operationId !== undefined && rule.operationId !== t.operationId) return false;
    if (rule.method !== undefined && rule.method.toUpperCase() !== t.method) return false;
    if (rule.pathPrefix !== undefined && !t.path.startsWith(rule.pathPrefix)) return false;
    return true;
}

/** Normalises `malformedBody` to its mode. */
export function malformedMode(rule: FaultRule): "json" | "schema" | undefined {
    if (rule.malformedBody === true || rule.malformedBody === "json") return "json";
    return rule.malformedBody === "schema" ? "schema" : undefined;
}

function describe(rule: FaultRule, index: number): FaultRecord {
    const malformed = malformedMode(rule);
    const kind = rule.dropConnection
        ? "drop"
        : rule.body !== undefined
          ? "body"
          : rule.status !== undefined
            ? "status"
            : malformed
              ? "malformed"
              : "latency";
    return {
        rule: index,
        kind,
        ...(rule.status !== undefined ? { status: rule.status } : {}),
        ...(rule.latencyMs !== undefined ? { latencyMs: rule.latencyMs } : {}),
        ...(malformed ? { malformedBody: malformed } : {}),
        afterHandling: rule.afterHandling === true,
    };
}
