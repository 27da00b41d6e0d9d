/** Schemas of registries and docker credentials (`/v2/registries`, `.../docker-credentials`). */
import { z } from "zod";
import type { Registry, DockerCredentials } from "../types";
import { opt } from "./common";
import { subscriptionSchema } from "./subscription";

/** A registry. `subscription` appears in the list response only. */
export const registrySchema = z.object({
    name: z.string().min(1),
    region: opt(z.string()),
    created_at: opt(z.string()),
    storage_usage_bytes: opt(z.number()),
    storage_usage_bytes_updated_at: opt(z.string()),
    subscription: opt(subscriptionSchema),
}) satisfies z.ZodType<Registry>;

/** `{ registry }`: get and create. */
export const registryEnvelopeSchema = z.object({ registry: registrySchema });

/** `{ registries }`: list. Without the array the answer is malformed, never "no registries": refresh would drop live ones. */
export const registriesEnvelopeSchema = z.object({ registries: z.array(registrySchema) });

/** A Docker `config.json`: `{ auths: { "registry.digitalocean.com": { auth } } }`. */
export const dockerCredentialsSchema = z.object({
    auths: z.record(z.string(), z.object({ auth: z.string().min(1) })),
}) satisfies z.ZodType<DockerCredentials>;
