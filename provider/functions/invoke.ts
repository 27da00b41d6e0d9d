/** What every data source shares: its client, and errors typed like the client's. */
import type { DocrClient } from "../client";
import type { Connection } from "../client/connection";
import { createDocrError, docrErrorInit, isDocrError } from "../client/errors";
import { clientFor, hinted, programConnection } from "../shared/stack-config";

/**
 * Data sources run in the program, not in a provider's `configure`: `opts` first, then the
 * program's stack config (`digitalocean:token`, `digitalocean:apiUrl`), then the environment.
 */
export function clientForInvoke(opts: Connection | undefined): DocrClient {
    const stack = programConnection();
    return clientFor({ token: opts?.token ?? stack.token, apiUrl: opts?.apiUrl ?? stack.apiUrl });
}

/**
 * Runs a data source's request; a 404 becomes a `not_found` error naming the data source and what
 * is missing (`getRegistry: registry "acme" not found (404 not_found)`), so `errorKind(err)` tells;
 * a rejected token names the config key.
 */
export async function naming<T>(fn: string, what: string, call: () => Promise<T>): Promise<T> {
    try {
        return await hinted(call);
    } catch (err) {
        if (isDocrError(err) && err.kind === "not_found") {
            throw createDocrError({ ...docrErrorInit(err), operation: fn, subject: what });
        }
        throw err;
    }
}
