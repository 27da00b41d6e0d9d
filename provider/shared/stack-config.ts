/**
 * The Pulumi side of the connection: the stack config keys, read in one place for the resources
 * (`configure`) and the data sources (the program's config), and the client built from them. The
 * client itself knows nothing of Pulumi; its configuration errors get the config keys added here.
 */
import * as pulumi from "@pulumi/pulumi";
import { DocrClient, type ClientOptions } from "../client";
import type { Connection } from "../client/connection";
import { createDocrError, type DocrErrorKind, docrErrorInit, isDocrError } from "../client/errors";

/** The stack config keys of the connection. */
export const CONFIG_KEYS = { token: "digitalocean:token", apiUrl: "digitalocean:apiUrl" } as const;

/** Where a Pulumi program sets what the client's configuration and token errors are about. */
const HINTS: Partial<Record<DocrErrorKind, string>> = {
    configuration:
        `in a Pulumi program: the config key ${CONFIG_KEYS.token} (pulumi config set --secret ${CONFIG_KEYS.token} <token>), ` +
        `and ${CONFIG_KEYS.apiUrl} for another API URL`,
    unauthorized:
        `in a Pulumi program the token is the config key ${CONFIG_KEYS.token} ` +
        `(pulumi config set --secret ${CONFIG_KEYS.token} <token>), else the environment`,
};

/** The connection the stack config gives (`get` reads one full key); blank values count as unset. */
export function connectionFromConfig(get: (key: string) => string | undefined): Connection {
    return { token: nonBlank(get(CONFIG_KEYS.token)), apiUrl: nonBlank(get(CONFIG_KEYS.apiUrl)) };
}

/** The program's stack config; outside a Pulumi program (scripts, tests) there is none. */
export function programConnection(): Connection {
    return connectionFromConfig((key) => {
        try {
            return pulumi.runtime.getConfig(key);
        } catch {
            return undefined;
        }
    });
}

/**
 * A client for `connection` (environment variables fill what it leaves out), its log sent to
 * Pulumi's; `Client` is `DocrClient` or a subclass (the resources share reads: shared-reads.ts).
 */
export function clientFor(
    connection: Connection | undefined,
    Client: new (options: ClientOptions) => DocrClient = DocrClient,
): DocrClient {
    try {
        return new Client({
            token: connection?.token,
            apiUrl: connection?.apiUrl,
            logger: (level, message) => void (level === "warn" ? pulumi.log.warn(message) : pulumi.log.debug(message)),
            // Long waits for the API's quota belong in the engine log: an `up` that sits still for
            // minutes must say why.
            notice: (message) => void pulumi.log.info(message),
        });
    } catch (err) {
        throw errorWithConfigHint(err);
    }
}

/**
 * `err` with the config key to check added, when it is a missing or rejected token or a bad API
 * URL (the client's messages name only its options and the environment); any other error as it is.
 */
export function errorWithConfigHint(err: unknown): unknown {
    if (!isDocrError(err) || err.hint !== undefined) return err;
    const hint = HINTS[err.kind];
    return hint === undefined ? err : createDocrError({ ...docrErrorInit(err), hint });
}

/** `call`, its errors given the config-key hint ({@link errorWithConfigHint}). */
export async function callWithConfigHint<T>(call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (err) {
        throw errorWithConfigHint(err);
    }
}

function nonBlank(value: string | undefined): string | undefined {
    return value !== undefined && value.trim() !== "" ? value : undefined;
}
