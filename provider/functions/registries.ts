import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Registry as ApiRegistry } from "../client";
import type { Connection } from "../client/connection";
import { registryNameField } from "../shared/fields";
import { parseArgs } from "./args";
import { callWithConfigHint } from "../shared/stack-config";
import { clientForInvoke, dataSourceCall, reportedInProgram } from "./invoke";

/** A registry as the data sources describe it. */
export interface RegistryInfo {
    /** The registry's name. */
    name: string;
    /** The region slug the registry is in; empty when the API did not say. */
    region: string;
    /** `registry.digitalocean.com/<name>`: the prefix of every image in the registry. */
    serverUrl: string;
    /** Bytes stored, as last reported by the API. */
    storageUsageBytes?: number;
    /** When `storageUsageBytes` was measured (ISO 8601). */
    storageUsageBytesUpdatedAt?: string;
    /** When the registry was created (ISO 8601). */
    createdAt?: string;
    /** The team's tier; present in listings (the single-registry endpoint does not report it). */
    subscriptionTierSlug?: string;
}

function registryInfo(api: ApiRegistry): RegistryInfo {
    const info: RegistryInfo = {
        name: api.name,
        region: api.region ?? "",
        serverUrl: `registry.digitalocean.com/${api.name}`,
    };
    if (api.storage_usage_bytes !== undefined) info.storageUsageBytes = api.storage_usage_bytes;
    if (api.storage_usage_bytes_updated_at) info.storageUsageBytesUpdatedAt = api.storage_usage_bytes_updated_at;
    if (api.created_at) info.createdAt = api.created_at;
    const tier = api.subscription?.tier?.slug;
    if (tier) info.subscriptionTierSlug = tier;
    return info;
}

/** The result of {@link getRegistries}. */
export interface GetRegistriesResult {
    /** Every registry of the team. */
    registries: RegistryInfo[];
}

/**
 * Every registry of the team.
 *
 * ```ts
 * const { registries } = await getRegistries();
 * console.log(registries.map((r) => `${r.name} (${r.region})`));
 * ```
 */
export async function getRegistries(connection?: Connection): Promise<GetRegistriesResult> {
    return reportedInProgram(async () => {
        const client = clientForInvoke(connection);
        const registries = await callWithConfigHint(() => client.listRegistries());
        return { registries: registries.map(registryInfo) };
    });
}

/**
 * {@link getRegistries} as an `Output`.
 *
 * ```ts
 * export const names = getRegistriesOutput().registries.apply((rs) => rs.map((r) => r.name));
 * ```
 */
export function getRegistriesOutput(connection?: Connection): pulumi.Output<GetRegistriesResult> {
    return pulumi.output(getRegistries(connection));
}

/** The arguments of {@link getRegistry}. */
export interface GetRegistryArgs {
    /** The registry's name. */
    name: string;
}

/** The arguments of {@link getRegistryOutput}: those of {@link getRegistry}, each possibly an `Output`. */
export interface GetRegistryOutputArgs {
    /** The registry's name. */
    name: pulumi.Input<string>;
}

/**
 * One registry by name; a `not_found` error (`errorKind(err)`) naming it when it does not exist.
 *
 * ```ts
 * const registry = await getRegistry({ name: "acme-prod" });
 * export const server = registry.serverUrl;
 * ```
 */
export async function getRegistry(args: GetRegistryArgs, connection?: Connection): Promise<RegistryInfo> {
    return reportedInProgram(async () => {
        const { name } = parseArgs("getRegistry", registryArgsSchema, args);
        const client = clientForInvoke(connection);
        return registryInfo(await dataSourceCall("getRegistry", `registry "${name}"`, () => client.getRegistry(name)));
    });
}

const registryArgsSchema = z.strictObject({ name: registryNameField() });

/**
 * {@link getRegistry} with `Input` arguments.
 *
 * ```ts
 * export const region = getRegistryOutput({ name: registry.name }).region;
 * ```
 */
export function getRegistryOutput(args: GetRegistryOutputArgs, connection?: Connection): pulumi.Output<RegistryInfo> {
    return pulumi.output(args).apply((resolved) => getRegistry(resolved, connection));
}
