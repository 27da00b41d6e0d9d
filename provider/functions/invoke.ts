/** What every data source shares: its client, and errors typed like the client's. */
import type { DocrClient } from "../client";
import type { Connection } from "../client/connection";
import { createDocrError, docrErrorInit, isDocrError } from "../client/errors";
import { clientFor, callWithConfigHint, programConnection } from "../shared/stack-config";

/**
 * Data sources run in the program, not in a provider's `configure`: `connection` first, then the
 * program's stack config (`digitalocean:token`, `digitalocean:apiUrl`), then the environment.
 */
export function clientForInvoke(connection: Connection | undefined): DocrClient {
    const stack = programConnection();
    return clientFor({ token: connection?.token ?? stack.token, apiUrl: connection?.apiUrl ?? stack.apiUrl });
}

/**
 * Runs a data source's request; a 404 becomes a `not_found` error naming the data source and what
 * is missing (`getRegistry: registry "acme" not found (404 not_found)`), so `errorKind(err)` tells;
 * a rejected token names the config key.
 */
export async function dataSourceCall<T>(fn: string, what: string, call: () => Promise<T>): Promise<T> {
    try {
        return await callWithConfigHint(call);
    } catch (err) {
        if (isDocrError(err) && err.kind === "not_found") {
            throw createDocrError({ ...docrErrorInit(err), operation: fn, subject: what });
        }
        throw err;
    }
}

/**
 * Runs a data source so that an error of its own reaches the user at once when the program does not
 * catch it. The error is marked as a Pulumi `RunError` (the SDK tells one by the member
 * `__pulumiRunError`, whichever copy of `@pulumi/pulumi` made it): the run script reports its message
 * alone, which already names the data source and what failed. The run script still formats it with
 * `util.inspect(err, { colors: true })`, which on Node 20 and 22 loops for 30 s or more over a frame
 * whose path ends in a scope folder, `node_modules/@pulumi/resource.ts:1687:22` (nodejs/node#64011,
 * fixed in Node 24): source-map-support maps @pulumi/pulumi's frames to such paths, files that do not
 * exist. Those frames are dropped from the stack; every other frame stays.
 */
export async function reportedInProgram<T>(call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (err) {
        if (isDocrError(err)) {
            Object.defineProperty(err, "__pulumiRunError", { value: true, configurable: true });
            if (typeof err.stack === "string") {
                err.stack = err.stack
                    .split("\n")
                    .filter((line) => !SCOPE_FILE_FRAME.test(line))
                    .join("\n");
            }
        }
        throw err;
    }
}

/** A stack frame in a file directly under a scope folder of node_modules (`…/node_modules/@pulumi/output.ts:1:2)`). */
const SCOPE_FILE_FRAME = /node_modules[\\/]@[^\\/]+[\\/][^\\/]*$/;
