import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Registry as ApiRegistry } from "../client";
import { errorKind } from "../client/errors";
import { registryNameField } from "../resources/fields";
import { InvokeOptions, clientForInvoke, liftToOutput, parseArgs } from "./invoke";

/** A registry as the data sources describe it. */
export interface RegistryInfo {
    name: string;
    region: string;
    serverUrl: string;
    storageUsageBytes?: number;
    storageUsageBytesUpdatedAt?: string;
    createdAt?: string;
    /** The team's tier; present in listings (the single-registry endpoint does not report it). */
    subscriptionTierSlug?: string;
}

function registryInfo(api: ApiRegistry): RegistryInfo {
    const info: RegistryInfo = { name: api.name, region: api.region ?? "", serverUrl: `registry.digitalocean.com/${api.name}` };
    if (api.storage_usage_bytes !== undefined) info.storageUsageBytes = api.storage_usage_bytes;
    if (api.storage_usage_bytes_updated_at) info.storageUsageBytesUpdatedAt = api.storage_usage_bytes_updated_at;
    if (api.created_at) info.createdAt = api.created_at;
    const tier = api.subscription?.tier?.slug;
    if (tier) info.subscriptionTierSlug = tier;
    return info;
}

/** The result of {@link getRegistries}. */
export interface GetRegistriesResult {
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
export async function getRegistries(opts?: InvokeOptions): Promise<GetRegistriesResult> {
    const registries = await clientForInvoke(opts).listRegistries();
    return { registries: registries.map(registryInfo) };
}

/**
 * {@link getRegistries} as an `Output`.
 *
 * ```ts
 * export const names = getRegistriesOutput().registries.apply((rs) => rs.map((r) => r.name));
 * ```
 */
export function getRegistriesOutput(opts?: InvokeOptions): pulumi.Output<GetRegistriesResult> {
    return pulumi.output(getRegistries(opts));
}

/** The arguments of {@link getRegistry}. */
export interface GetRegistryArgs {
    name: string;
}

/**
 * One registry by name; a clear error when it does not exist.
 *
 * ```ts
 * const registry = await getRegistry({ name: "acme-prod" });
 * export const server = registry.serverUrl;
 * ```
 */
export async function getRegistry(args: GetRegistryArgs, opts?: InvokeOptions): Promise<RegistryInfo> {
    const { name } = parseArgs("getRegistry", z.strictObject({ name: registryNameField() }), args);
    try {
        return registryInfo(await clientForInvoke(opts).getRegistry(name));
    } catch (err) {
        if (errorKind(err) === "not_found") throw new Error(`getRegistry: registry "${name}" does not exist in this team`);
        throw err;
    }
}

/**
 * {@link getRegistry} with `Input` arguments.
 *
 * ```ts
 * export const region = getRegistryOutput({ name: registry.name }).region;
 * ```
 */
export const getRegistryOutput = liftToOutput(getRegistry);
