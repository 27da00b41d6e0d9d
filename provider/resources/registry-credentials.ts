import * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DOCR_HOST } from "../client";
import { ConfiguredProvider, changedKeys, plain } from "./common";
import { expirySecondsField, registryNameField } from "../shared/fields";
import { DocrResource } from "./resource";
import { validateInputs } from "./validate";
import type { OutputPlaceholders, OutputProperties } from "./outputs";

/** The arguments of a {@link RegistryCredentials}. */
export interface RegistryCredentialsArgs {
    /** The registry the credentials are for. */
    registryName: pulumi.Input<string>;
    /** Push as well as pull. Default: false (pull only). */
    readWrite?: pulumi.Input<boolean>;
    /** Lifetime in seconds; 0 (the default) means the credentials never expire. */
    expirySeconds?: pulumi.Input<number>;
    /**
     * How long before expiry a `pulumi up` replaces the credentials. Default: a tenth of the lifetime.
     */
    renewBeforeSeconds?: pulumi.Input<number>;
}

/** The checked inputs of a {@link RegistryCredentials}, defaults applied. */
export interface RegistryCredentialsInputs {
    /** The registry the credentials are for. */
    registryName: string;
    /** Whether the credentials may push as well as pull. */
    readWrite: boolean;
    /** The lifetime asked for, in seconds; 0 = never expires. */
    expirySeconds: number;
    /** How long before expiry a `pulumi up` replaces them; `undefined`: a tenth of the lifetime. */
    renewBeforeSeconds?: number;
}

const credentialsInputsSchema = z.strictObject({
    registryName: registryNameField(),
    readWrite: z.boolean({ error: "must be true or false" }).default(false),
    expirySeconds: expirySecondsField().default(0),
    renewBeforeSeconds: z
        .number({ error: "must be a whole number of seconds" })
        .int({ error: "must be a whole number of seconds" })
        .min(0, { error: "must be 0 or more" })
        .optional(),
}) satisfies z.ZodType<RegistryCredentialsInputs>;

/** Kept out of the schema: a refinement would stop `check` from leaving unknown fields out. */
function renewWindowFailures(inputs: Partial<RegistryCredentialsInputs>): pulumi.dynamic.CheckFailure[] {
    const { renewBeforeSeconds, expirySeconds } = inputs;
    if (renewBeforeSeconds === undefined || !expirySeconds || renewBeforeSeconds < expirySeconds) return [];
    return [
        {
            property: "renewBeforeSeconds",
            reason: `renewBeforeSeconds: must be less than expirySeconds (${expirySeconds}), or the credentials would be renewed as soon as they are issued`,
        },
    ];
}

/** What the credentials look like in state (the outputs of a {@link RegistryCredentials}); `dockerConfigJson` is a secret output. */
export interface RegistryCredentialsOutputs extends RegistryCredentialsInputs {
    /** The docker config (`{"auths": {...}}`), a secret output. */
    dockerConfigJson: string;
    /** The host the credentials log in to (`registry.digitalocean.com`), as in `docker login <serverUrl>`. */
    serverUrl: string;
    /** When the credentials were issued (ISO 8601). */
    issuedAt: string;
    /** When they expire (ISO 8601); absent when they never do. */
    expiresAt?: string;
}

/** A placeholder for each output, registered by the resource class under its arguments. */
const REGISTRY_CREDENTIALS_OUTPUTS = {
    dockerConfigJson: undefined,
    serverUrl: undefined,
    issuedAt: undefined,
    expiresAt: undefined,
    registryName: undefined,
    readWrite: undefined,
    expirySeconds: undefined,
    renewBeforeSeconds: undefined,
} satisfies OutputPlaceholders<RegistryCredentialsOutputs>;

const INPUT_KEYS = ["registryName", "readWrite", "expirySeconds", "renewBeforeSeconds"] as const;

/** When a `pulumi up` must rotate: inside the renew window, or already expired. */
export function renewAt(
    outs: Pick<RegistryCredentialsOutputs, "expiresAt" | "expirySeconds" | "renewBeforeSeconds">,
): number | undefined {
    if (!outs.expiresAt) return undefined;
    const before = outs.renewBeforeSeconds ?? Math.floor(outs.expirySeconds / 10);
    return Date.parse(outs.expiresAt) - before * 1000;
}

/** The CRUD implementation of {@link RegistryCredentials}. */
export class RegistryCredentialsProvider extends ConfiguredProvider<
    RegistryCredentialsInputs,
    RegistryCredentialsOutputs
> {
    check(
        _olds: RegistryCredentialsInputs,
        news: RegistryCredentialsInputs,
    ): Promise<pulumi.dynamic.CheckResult<RegistryCredentialsInputs>> {
        const { inputs, failures, parsed } = validateInputs(credentialsInputsSchema, news);
        return Promise.resolve({ inputs, failures: parsed ? renewWindowFailures(parsed) : failures });
    }

    /** Credentials cannot be edited: any change, or reaching the renew window, issues new ones first. */
    diff(
        _id: string,
        olds: RegistryCredentialsOutputs,
        news: RegistryCredentialsInputs,
    ): Promise<pulumi.dynamic.DiffResult> {
        const replaces = changedKeys(olds, news, INPUT_KEYS);
        if (olds.renewBeforeSeconds !== undefined && news.renewBeforeSeconds === undefined)
            replaces.push("renewBeforeSeconds");
        const due = renewAt(olds);
        if (due !== undefined && Date.now() >= due) replaces.push("expiresAt");
        return Promise.resolve({ changes: replaces.length > 0, replaces, deleteBeforeReplace: false });
    }

    async create(inputs: RegistryCredentialsInputs): Promise<pulumi.dynamic.CreateResult<RegistryCredentialsOutputs>> {
        const issuedAt = new Date();
        const config = await this.client().getDockerCredentials(inputs.registryName, {
            readWrite: inputs.readWrite,
            expirySeconds: inputs.expirySeconds,
        });
        const serverUrl = DOCR_HOST;
        const outs: RegistryCredentialsOutputs = plain({
            ...inputs,
            dockerConfigJson: JSON.stringify(config),
            serverUrl,
            issuedAt: issuedAt.toISOString(),
            expiresAt:
                inputs.expirySeconds > 0
                    ? new Date(issuedAt.getTime() + inputs.expirySeconds * 1000).toISOString()
                    : undefined,
        });
        return { id: `${inputs.registryName}/${randomUUID()}`, outs };
    }

    /** The API cannot look credentials up; they live as long as their registry does. */
    async read(
        id: string,
        props?: RegistryCredentialsOutputs,
    ): Promise<pulumi.dynamic.ReadResult<RegistryCredentialsOutputs>> {
        if (!props?.dockerConfigJson) {
            throw new Error(
                `RegistryCredentials "${id}" cannot be imported: the API issues credentials but cannot look them up. ` +
                    "Create new ones instead.",
            );
        }
        // The team's listing, shared with every other read of this refresh (shared-reads.ts): a
        // stack of 200 credentials costs one request, not 200. Gone means a listing without it.
        const registries = await this.client().listRegistries();
        if (!registries.some((r) => r.name === props.registryName)) return { id: "" };
        return { id, props };
    }

    /** Credentials cannot be revoked one by one through the API: they lapse at `expiresAt`. */
    async delete(id: string, props: RegistryCredentialsOutputs): Promise<void> {
        if (props.expiresAt) return;
        await pulumi.log.info(
            `RegistryCredentials ${id.split("/")[0]}: removed from state; credentials without expiry stay valid until the API token that issued them is revoked`,
        );
    }
}

/** The outputs of a {@link RegistryCredentials}, as properties (described in {@link RegistryCredentialsOutputs}). */
export interface RegistryCredentials extends OutputProperties<RegistryCredentialsOutputs> {}

/**
 * Docker credentials for a registry, always a secret. With `expirySeconds`, a `pulumi up` inside
 * the renew window issues new credentials before the old ones are dropped.
 *
 * ```ts
 * import { Registry, RegistryCredentials } from "pulumi-docr";
 *
 * const registry = new Registry("app", { name: "acme-dev", subscriptionTierSlug: "basic" });
 * const push = new RegistryCredentials("ci-push", { registryName: registry.name, readWrite: true, expirySeconds: 3600 });
 * export const dockerConfig = push.dockerConfigJson; // secret: ~/.docker/config.json or a kubernetes.io/dockerconfigjson Secret
 * ```
 */
export class RegistryCredentials extends DocrResource {
    constructor(name: string, args: RegistryCredentialsArgs, opts?: pulumi.CustomResourceOptions) {
        const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), "dockerConfigJson"];
        const props = { ...REGISTRY_CREDENTIALS_OUTPUTS, ...args };
        super("RegistryCredentials", name, props, { ...opts, additionalSecretOutputs: secretOutputs });
    }
}
