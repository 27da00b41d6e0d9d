import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { DocrClient } from "../client";
import { errorKind } from "../client/errors";

/** Options shared by every data source. */
export interface InvokeOptions {
    /** API token; default: Pulumi config `digitalocean:token`, then `DIGITALOCEAN_TOKEN`, then `DIGITALOCEAN_ACCESS_TOKEN`. */
    token?: string;
    /** API base URL; default: Pulumi config `digitalocean:apiUrl`, then `DIGITALOCEAN_API_URL`. */
    apiUrl?: string;
}

/** Data sources run in the program, so stack config is read here rather than in a provider's `configure`. */
export function clientForInvoke(opts: InvokeOptions | undefined): DocrClient {
    const config = new pulumi.Config("digitalocean");
    return new DocrClient({
        token: opts?.token ?? stackConfig(() => config.get("token")),
        apiUrl: opts?.apiUrl ?? stackConfig(() => config.get("apiUrl")),
        notice: (message) => pulumi.log.info(message),
    });
}

/** Outside a Pulumi program (scripts, tests) there is no stack config: fall back to the environment. */
function stackConfig(read: () => string | undefined): string | undefined {
    try {
        const value = read();
        return value && value.trim() !== "" ? value : undefined;
    } catch {
        return undefined;
    }
}

/** Validates data-source arguments before any request; the error names the field and what it takes. */
export function parseArgs<S extends z.ZodType>(fn: string, schema: S, args: unknown): z.infer<S> {
    const result = schema.safeParse(args ?? {});
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => {
        if (issue.code === "unrecognized_keys") return `unknown argument ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
        const field = issue.path.map(String).join(".") || "(arguments)";
        return `${field}: ${issue.message}`;
    });
    throw new Error(`${fn}: invalid arguments: ${problems.join("; ")}`);
}

/** Data-source arguments as a program may hold them: each one possibly an `Output`. */
export type InputArgs<A> = { [K in keyof A]: pulumi.Input<A[K]> };

/** `getXOutput` from `getX`: accepts `Input`s and returns an `Output`. */
export function liftToOutput<A extends object, R>(
    get: (args: A, opts?: InvokeOptions) => Promise<R>,
): (args: InputArgs<A>, opts?: InvokeOptions) => pulumi.Output<R> {
    return (args, opts) => pulumi.output(args).apply((plainArgs) => get(plainArgs as unknown as A, opts));
}

export { collect } from "../client/pagination";

/** Turns the API's 404 into an error that names what is missing. */
export async function naming<T>(fn: string, what: string, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (err) {
        if (errorKind(err) === "not_found") throw new Error(`${fn}: ${what} does not exist`);
        throw err;
    }
}
