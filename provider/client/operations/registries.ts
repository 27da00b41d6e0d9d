/** Registries, subscription, options, name validation and docker credentials. */
import { createDocrError, unlessError } from "../errors";
import { callJson, callNoContent } from "../http";
import type { ClientSettings } from "../settings";
import { aboutAsked } from "./answered";
import { dockerCredentialsSchema, registriesEnvelopeSchema, registryEnvelopeSchema } from "../schemas/registry";
import { optionsEnvelopeSchema, subscriptionEnvelopeSchema } from "../schemas/subscription";
import type {
    CreateRegistryArgs,
    DockerCredentials,
    DockerCredentialsOptions,
    Registry,
    RegistryOptions,
    Subscription,
} from "../types";

const REGISTRY = "/v2/registries/{registry_name}";
/** The one host DigitalOcean's container registries log in to. */
export const DOCR_HOST = "registry.digitalocean.com";

export async function listRegistries(s: ClientSettings): Promise<Registry[]> {
    const body = await callJson(
        s,
        { operation: "registries_list", method: "GET", template: "/v2/registries" },
        registriesEnvelopeSchema,
    );
    return body.registries;
}

export async function createRegistry(s: ClientSettings, args: CreateRegistryArgs): Promise<Registry> {
    const body = await callJson(
        s,
        {
            operation: "registries_create",
            method: "POST",
            template: "/v2/registries",
            idempotent: false,
            subject: `registry "${args.name}"`,
            body: { name: args.name, region: args.region, subscription_tier_slug: args.subscription_tier_slug },
        },
        registryEnvelopeSchema,
    );
    return registryInAnswer(s, "registries_create", args.name, body.registry);
}

export async function getRegistry(s: ClientSettings, name: string): Promise<Registry> {
    const body = await callJson(
        s,
        {
            operation: "registries_get",
            method: "GET",
            template: REGISTRY,
            params: { registry_name: name },
            subject: `registry "${name}"`,
        },
        registryEnvelopeSchema,
    );
    return registryInAnswer(s, "registries_get", name, body.registry);
}

/** The registry of a get or create answer, when it is the one asked for (answered.ts). */
function registryInAnswer(s: ClientSettings, operation: string, name: string, registry: Registry): Registry {
    return aboutAsked(s, operation, name, { name: registry.name, fieldPath: "registry.name", value: registry });
}

export async function deleteRegistry(s: ClientSettings, name: string): Promise<void> {
    await callNoContent(s, {
        operation: "registries_delete",
        method: "DELETE",
        template: REGISTRY,
        params: { registry_name: name },
        subject: `registry "${name}"`,
    });
}

export async function getOptions(s: ClientSettings): Promise<RegistryOptions> {
    const body = await callJson(
        s,
        { operation: "registries_get_options", method: "GET", template: "/v2/registries/options" },
        optionsEnvelopeSchema,
    );
    return body.options;
}

export async function getSubscription(s: ClientSettings): Promise<Subscription> {
    const body = await callJson(
        s,
        {
            operation: "registries_get_subscription",
            method: "GET",
            template: "/v2/registries/subscription",
        },
        subscriptionEnvelopeSchema,
    );
    return body.subscription;
}

export async function updateSubscription(s: ClientSettings, tierSlug: string): Promise<Subscription> {
    const body = await callJson(
        s,
        {
            operation: "registries_update_subscription",
            method: "POST",
            template: "/v2/registries/subscription",
            idempotent: true, // setting a tier twice is setting it once
            subject: `subscription tier "${tierSlug}"`,
            body: { tier_slug: tierSlug },
        },
        subscriptionEnvelopeSchema,
    );
    return body.subscription;
}

export async function validateName(s: ClientSettings, name: string): Promise<boolean> {
    // 409: the name is taken.
    return unlessError("conflict", false, async () => {
        await callNoContent(s, {
            operation: "registries_validate_name",
            method: "POST",
            template: "/v2/registries/validate-name",
            idempotent: true, // a question, it changes nothing
            subject: `registry name "${name}"`,
            body: { name },
        });
        return true;
    });
}

export async function getDockerCredentials(
    s: ClientSettings,
    name: string,
    opts: DockerCredentialsOptions = {},
): Promise<DockerCredentials> {
    const config = await callJson(
        s,
        {
            operation: "registries_get_dockerCredentials",
            method: "GET",
            template: `${REGISTRY}/docker-credentials`,
            params: { registry_name: name },
            subject: `registry "${name}"`,
            query: { read_write: opts.readWrite, expiry_seconds: opts.expirySeconds },
        },
        dockerCredentialsSchema,
    );
    // Docker sends the credentials to whatever host they are filed under: only the registry's own will do.
    const hosts = Object.keys(config.auths);
    if (hosts.length !== 1 || hosts[0] !== DOCR_HOST) {
        throw createDocrError(
            {
                kind: "malformed_response",
                operation: "registries_get_dockerCredentials",
                subject: `registry "${name}"`,
                fieldPath: "auths",
                detail: `the credentials are for ${hosts.map((h) => JSON.stringify(h)).join(", ") || "no host"}, not for "${DOCR_HOST}" alone; they were not used`,
            },
            [s.connection.token],
        );
    }
    return config;
}
