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
