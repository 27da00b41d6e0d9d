import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { DocrClient } from "../client";

/** The value the engine sends for inputs that are not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** What `configure` hands a provider: stack config, read in the host process, never serialized. */
export interface StackConnection {
    token?: string;
    apiUrl?: string;
}

export function connectionFromConfig(req: pulumi.dynamic.ConfigureRequest): StackConnection {
    return {
        token: nonBlank(req.config.get("digitalocean:token")),
        apiUrl: nonBlank(req.config.get("digitalocean:apiUrl")),
    };
}

function nonBlank(value: string | undefined): string | undefined {
    return value !== undefined && value.trim() !== "" ? value : undefined;
}

/** A client for one provider call; environment variables fill what stack config leaves out. */
export function clientFor(connection: StackConnection | undefined): DocrClient {
    return new DocrClient({
        token: connection?.token,
        apiUrl: connection?.apiUrl,
        logger: (level, message) => (level === "warn" ? pulumi.log.warn(message) : pulumi.log.debug(message)),
        // Long waits for the API's quota belong in the engine log: an `up` that sits still for
        // minutes must say why.
        notice: (message) => pulumi.log.info(message),
    });
}

/**
 * What every resource's provider shares: the stack's connection, given by `configure`, and one
 * client built from it on first use (so its server clock and retries span the provider's calls).
 */
export abstract class ConfiguredProvider {
    protected connection: StackConnection | undefined;
    private built: DocrClient | undefined;

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.connection = connectionFromConfig(req);
        this.built = undefined;
    }

    /** The client for this stack's connection (a missing token fails here, naming where to set it). */
    protected client(): DocrClient {
        return (this.built ??= clientFor(this.connection));
    }
}

/**
 * Validates inputs for `check`. Unknown values (preview) are left out of validation, so a
 * field that is not known yet never fails; `__provider` is the engine's, not the user's.
 * `parsed` lacks the fields that were unknown: callers test `isUnknown(news.x)` before using one.
 */
export function validateInputs<S extends z.ZodObject>(
    schema: S,
    news: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures: pulumi.dynamic.CheckFailure[]; parsed?: z.infer<S> } {
    const known: Record<string, unknown> = {};
    const unknownKeys: Record<string, true> = {};
    for (const [key, value] of Object.entries(news)) {
        if (key === "__provider" || value === undefined || value === null) continue;
        if (isUnknown(value)) unknownKeys[key] = true;
        else known[key] = value;
    }
    const shapeKeys = Object.keys(schema.shape);
    const omitted = Object.fromEntries(Object.keys(unknownKeys).filter((k) => shapeKeys.includes(k)).map((k) => [k, true as const]));
    // Fields not known yet (preview) are left out, so they can neither fail nor be reported missing.
    const result = (Object.keys(omitted).length > 0 ? schema.omit(omitted as never) : schema).safeParse(known);
    if (!result.success) {
        const failures = result.error.issues.map((issue) => checkFailure(issue));
        return { inputs: news, failures };
    }
    const inputs: Record<string, unknown> = { ...(result.data as Record<string, unknown>) };
    for (const [key, value] of Object.entries(news)) {
        if (isUnknown(value)) inputs[key] = value;
    }
    if (news.__provider !== undefined) inputs.__provider = news.__provider;
    // zod types the omitted schema's output apart from S's; `parsed` is documented as lacking those fields.
    return { inputs, failures: [], parsed: result.data as unknown as z.infer<S> };
}

function checkFailure(issue: z.core.$ZodIssue): pulumi.dynamic.CheckFailure {
    if (issue.code === "unrecognized_keys") {
        return {
            property: issue.keys.join(", "),
            reason: `unknown input ${issue.keys.map((k) => `"${k}"`).join(", ")}: not an input of this resource`,
        };
    }
    const property = issue.path.map(String).join(".") || "(inputs)";
    return { property, reason: `${property}: ${issue.message}` };
}

/** Outputs must be plain JSON: the engine rejects `undefined`. */
export function plain<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Inputs that are compared by `diff`, with unknowns treated as changes. */
export function changedKeys(olds: object, news: Record<string, unknown>, keys: readonly string[]): string[] {
    return keys.filter((key) => {
        const next = news[key];
        if (next === undefined) return false;
        if (isUnknown(next)) return true;
        return JSON.stringify(field(olds, key)) !== JSON.stringify(next);
    });
}

/** A field of a resource's state object, by name. */
export function field(state: object, key: string): unknown {
    return Reflect.get(state, key);
}
