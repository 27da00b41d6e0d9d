/**
 * The Pulumi side of the connection: the stack config keys, read in one place for the resources
 * (`configure`) and the data sources (the program's config), and the client built from them. The
 * client itself knows nothing of Pulumi; its configuration errors get the config keys added here.
 */
import * as pulumi from "@pulumi/pulumi";
import { DocrClient } from "../client";
import type { Connection } from "../client/connection";
import { createDocrError, DocrError, docrErrorInit, isDocrError } from "../client/errors";

/** The stack config keys of the connection. */
export const CONFIG_KEYS = { token: "digitalocean:token", apiUrl: "digitalocean:apiUrl" } as const;

const HINT = `for Pulumi programs: set the config key ${CONFIG_KEYS.token} `
    + `(pulumi config set --secret ${CONFIG_KEYS.token} <token>), and ${CONFIG_KEYS.apiUrl} for another API URL`;

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

/** A client for `connection` (environment variables fill what it leaves out), its log sent to Pulumi's. */
export function clientFor(connection: Connection | undefined): DocrClient {
    try {
        return new DocrClient({
            token: connection?.token,
            apiUrl: connection?.apiUrl,
            logger: (level, message) => void (level === "warn" ? pulumi.log.warn(message) : pulumi.log.debug(message)),
        });
    } catch (err) {
        if (!isDocrError(err) || err.kind !== "configuration") throw err;
        throw withConfigHint(err);
    }
}

function withConfigHint(err: DocrError): DocrError {
    const init = docrErrorInit(err);
    return createDocrError({ ...init, detail: `${init.detail ?? init.kind}; ${HINT}` });
}

function nonBlank(value: string | undefined): string | undefined {
    return value !== undefined && value.trim() !== "" ? value : undefined;
}
