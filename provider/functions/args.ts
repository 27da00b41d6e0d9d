/**
 * Argument validation of the data sources, apart from invoke.ts: it names zod types, and no public
 * declaration may (programs type-check without zod's).
 */
import type { z } from "zod";
import { createDocrError } from "../client/errors";

/**
 * Validates data-source arguments before any request: a `bad_request` error (`errorKind`) naming
 * the field and what it takes.
 */
export function parseArgs<S extends z.ZodType>(fn: string, schema: S, args: unknown): z.output<S> {
    const result = schema.safeParse(args ?? {});
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => {
        if (issue.code === "unrecognized_keys") return `unknown argument ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
        const field = issue.path.map(String).join(".") || "(arguments)";
        return `${field}: ${issue.message}`;
    });
    throw createDocrError({ kind: "bad_request", operation: fn, detail: `invalid arguments: ${problems.join("; ")}` });
}
