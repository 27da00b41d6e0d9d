/**
 * The DigitalOcean Container Registry API client (`/v2/registries`). See docs/CONTRACTS.md.
 */
import type { z } from "zod";
import { resolveConnection } from "../config";
import { createDocrError, errorKind } from "./errors";
import { callJson, callNoContent, ClientSettings } from "./http";
import { DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_REQUESTS_PER_MINUTE } from "./limiter";
import { Cursor, DEFAULT_PAGE_CONCURRENCY, Page, paginateByPage, paginateByToken, PER_PAGE } from "./pagination";
import {
  DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RETRY_TIME_MS, DEFAULT_RETRY_BASE_DELAY_MS, DEFAULT_RETRY_MAX_DELAY_MS, Logger,
} from "./retry";
import { garbageCollectionEnvelopeSchema, garbageCollectionPageSchema, GarbageCollection } from "./schemas/garbage-collection";
import { dockerCredentialsSchema, DockerCredentials, registriesEnvelopeSchema, Registry, registryEnvelopeSchema } from "./schemas/registry";
import {
  manifestPageSchema, RepositoryManifest, RepositoryTag, RepositoryV2, repositoryV2PageSchema, tagPageSchema,
} from "./schemas/repository";
import { optionsEnvelopeSchema, RegistryOptions, Subscription, subscriptionEnvelopeSchema } from "./schemas/subscription";

export * from "./errors";
export type { Logger } from "./retry";
export type { Registry, DockerCredentials } from "./schemas/registry";
export type { Subscription, SubscriptionTier, RegistryOptions } from "./schemas/subscription";
export type { GarbageCollection } from "./schemas/garbage-collection";
export type { RepositoryV2, RepositoryTag, RepositoryManifest } from "./schemas/repository";

/** Options of {@link DocrClient}; everything is optional. */
export interface ClientOptions {
  /** API token; else `DIGITALOCEAN_TOKEN`, else `DIGITALOCEAN_ACCESS_TOKEN` (read at construction). */
  token?: string;
  /** API base URL; else `DIGITALOCEAN_API_URL`, else `https://api.digitalocean.com`. */
  baseUrl?: string;
  /** Per-attempt timeout for the whole exchange, body included. Default 30 000. */
  timeoutMs?: number;
  /** Attempts per call, the first included (retried calls only). Default 5. */
  maxAttempts?: number;
  /** No retry starts, and no backoff sleeps, past this time from the first attempt. Default 60 000. */
  maxRetryTimeMs?: number;
  /** Receives retries (`warn`), requests (`debug`) and listing anomalies; never the token. */
  logger?: Logger;
  /** First backoff ceiling (full jitter, doubling per retry). Default 500. Small values make tests fast. */
  retryBaseDelayMs?: number;
  /** Cap of the backoff ceiling. Default 15 000. */
  retryMaxDelayMs?: number;
  /** Process-wide request rate; else `DOCR_MAX_REQUESTS_PER_MINUTE`, else 250. */
  maxRequestsPerMinute?: number;
  /** Process-wide requests in flight. Default 8. */
  maxConcurrentRequests?: number;
  /** Pages fetched at once by one listing. Default 4. */
  pageConcurrency?: number;
}

/** Same as {@link ClientOptions}. */
export type DocrClientOptions = ClientOptions;

/** Arguments of {@link DocrClient.createRegistry} (API spelling). */
export interface CreateRegistryArgs {
  name: string;
  region?: string;
  subscription_tier_slug?: string;
}

/**
 * DOCR API client. Construct it where it is used (inside provider methods), not at module scope:
 * the token is resolved at construction and must not be captured into serialized state.
 *
 * @example
 * ```ts
 * const client = new DocrClient({ logger: (level, msg) => console.error(level, msg) });
 * const registry = await client.createRegistry({ name: "acme", region: "fra1", subscription_tier_slug: "basic" });
 * for await (const tag of client.listTags("acme", "team/app")) console.log(tag.tag);
 * ```
 */
export class DocrClient {
  // Non-enumerable (set in the constructor): keeps the token out of console.log / JSON.stringify.
  declare private readonly settings: ClientSettings;
  declare private readonly pageConcurrency: number;

  constructor(options: ClientOptions = {}) {
    const connection = resolveConnection({ token: options.token, apiUrl: options.baseUrl });
    const logger = options.logger;
    const settings: ClientSettings = {
      connection,
      timeoutMs: positive("timeoutMs", options.timeoutMs, 30_000),
      retry: {
        maxAttempts: Math.floor(positive("maxAttempts", options.maxAttempts, DEFAULT_MAX_ATTEMPTS)),
        maxRetryTimeMs: nonNegative("maxRetryTimeMs", options.maxRetryTimeMs, DEFAULT_MAX_RETRY_TIME_MS),
        baseDelayMs: nonNegative("retryBaseDelayMs", options.retryBaseDelayMs, DEFAULT_RETRY_BASE_DELAY_MS),
        maxDelayMs: nonNegative("retryMaxDelayMs", options.retryMaxDelayMs, DEFAULT_RETRY_MAX_DELAY_MS),
      },
      limiter: {
        maxRequestsPerMinute: positive("maxRequestsPerMinute", options.maxRequestsPerMinute ?? envNumber("DOCR_MAX_REQUESTS_PER_MINUTE"), DEFAULT_MAX_REQUESTS_PER_MINUTE),
        maxConcurrentRequests: Math.floor(positive("maxConcurrentRequests", options.maxConcurrentRequests, DEFAULT_MAX_CONCURRENT_REQUESTS)),
      },
      log: (level, message) => {
        try {
          logger?.(level, message);
        } catch {
          // A failing logger must not fail the API call.
        }
      },
    };
    Object.defineProperty(this, "settings", { value: settings, enumerable: false });
    Object.defineProperty(this, "pageConcurrency", {
      value: Math.floor(positive("pageConcurrency", options.pageConcurrency, DEFAULT_PAGE_CONCURRENCY)),
      enumerable: false,
    });
  }

  /** Base URL in use (no token). */
  get baseUrl(): string {
    return this.settings.connection.baseUrl;
  }

  /** All registries of the account. */
  async listRegistries(): Promise<Registry[]> {
    const body = await callJson(this.settings, { operation: "registries_list", method: "GET", template: "/v2/registries" }, registriesEnvelopeSchema());
    return body.registries ?? [];
  }

  /** Creates a registry. Never retried: on a timeout or dropped connection, look it up by name. */
  async createRegistry(args: CreateRegistryArgs): Promise<Registry> {
    const body = await callJson(this.settings, {
      operation: "registries_create", method: "POST", template: "/v2/registries", idempotent: false,
      subject: `registry "${args.name}"`,
      body: { name: args.name, region: args.region, subscription_tier_slug: args.subscription_tier_slug },
    }, registryEnvelopeSchema());
    return body.registry;
  }

  /** One registry by name (`not_found` if absent). */
  async getRegistry(name: string): Promise<Registry> {
    const body = await callJson(this.settings, {
      operation: "registries_get", method: "GET", template: "/v2/registries/{registry_name}",
      params: { registry_name: name }, subject: `registry "${name}"`,
    }, registryEnvelopeSchema());
    return body.registry;
  }

  /** Deletes a registry and all its images (`not_found` if absent). */
  async deleteRegistry(name: string): Promise<void> {
    await callNoContent(this.settings, {
      operation: "registries_delete", method: "DELETE", template: "/v2/registries/{registry_name}",
      params: { registry_name: name }, subject: `registry "${name}"`,
    });
  }

  /** Regions and subscription tiers, with the account's eligibility per tier. */
  async getOptions(): Promise<RegistryOptions> {
    const body = await callJson(this.settings, { operation: "registries_get_options", method: "GET", template: "/v2/registries/options" }, optionsEnvelopeSchema());
    return body.options;
  }

  /** The account's subscription. */
  async getSubscription(): Promise<Subscription> {
    const body = await callJson(this.settings, { operation: "registries_get_subscription", method: "GET", template: "/v2/registries/subscription" }, subscriptionEnvelopeSchema());
    return body.subscription;
  }

  /** Sets the subscription tier (a POST, but setting a tier is idempotent, so it is retried). */
  async updateSubscription(tierSlug: string): Promise<Subscription> {
    const body = await callJson(this.settings, {
      operation: "registries_update_subscription", method: "POST", template: "/v2/registries/subscription",
      idempotent: true, subject: `subscription tier "${tierSlug}"`, body: { tier_slug: tierSlug },
    }, subscriptionEnvelopeSchema());
    return body.subscription;
  }

  /** Whether `name` is free to use (204 = true, 409 = false). Retried: it changes nothing. */
  async validateName(name: string): Promise<boolean> {
    try {
      await callNoContent(this.settings, {
        operation: "registries_validate_name", method: "POST", template: "/v2/registries/validate-name",
        idempotent: true, subject: `registry name "${name}"`, body: { name },
      });
      return true;
    } catch (err) {
      if (errorKind(err) === "conflict") return false;
      throw err;
    }
  }

  /** Docker `config.json` credentials; `expirySeconds` 0 means they never expire. */
  async getDockerCredentials(name: string, opts: { readWrite?: boolean; expirySeconds?: number } = {}): Promise<DockerCredentials> {
    return callJson(this.settings, {
      operation: "registries_get_dockerCredentials", method: "GET", template: "/v2/registries/{registry_name}/docker-credentials",
      params: { registry_name: name }, subject: `registry "${name}"`,
      query: { read_write: opts.readWrite, expiry_seconds: opts.expirySeconds },
    }, dockerCredentialsSchema());
  }

  /** The running garbage collection, or `undefined` (404) when none runs. */
  async getActiveGarbageCollection(name: string): Promise<GarbageCollection | undefined> {
    try {
      const body = await callJson(this.settings, {
        operation: "registries_get_garbageCollection", method: "GET", template: "/v2/registries/{registry_name}/garbage-collection",
        params: { registry_name: name }, subject: `garbage collection of registry "${name}"`,
      }, garbageCollectionEnvelopeSchema());
      return body.garbage_collection;
    } catch (err) {
      if (errorKind(err) === "not_found") return undefined;
      throw err;
    }
  }

  /** Starts a garbage collection. Never retried: on a lost response, check the active one. */
  async startGarbageCollection(name: string, opts: { type?: string } = {}): Promise<GarbageCollection> {
    const body = await callJson(this.settings, {
      operation: "registries_run_garbageCollection", method: "POST", template: "/v2/registries/{registry_name}/garbage-collection",
      params: { registry_name: name }, subject: `registry "${name}"`, idempotent: false,
      body: opts.type === undefined ? undefined : { type: opts.type },
    }, garbageCollectionEnvelopeSchema());
    return body.garbage_collection;
  }

  /** Cancels a garbage collection (`PUT {cancel: true}`). */
  async cancelGarbageCollection(name: string, uuid: string): Promise<GarbageCollection> {
    const body = await callJson(this.settings, {
      operation: "registries_update_garbageCollection", method: "PUT",
      template: "/v2/registries/{registry_name}/garbage-collection/{garbage_collection_uuid}",
      params: { registry_name: name, garbage_collection_uuid: uuid },
      subject: `garbage collection "${uuid}" of registry "${name}"`, body: { cancel: true },
    }, garbageCollectionEnvelopeSchema());
    return body.garbage_collection;
  }

  /** Past and current garbage collections. */
  listGarbageCollections(name: string): AsyncIterable<GarbageCollection> {
    const operation = "registries_list_garbageCollections";
    return paginateByPage((page) => this.page({
      operation, method: "GET", template: "/v2/registries/{registry_name}/garbage-collections",
      params: { registry_name: name }, subject: `registry "${name}"`, query: { per_page: PER_PAGE, page },
    }, garbageCollectionPageSchema(), (b) => b.garbage_collections), this.listOptions(operation, (gc: GarbageCollection) => gc.uuid));
  }

  /** Repositories of a registry (repositoriesV2, following `page_token`). */
  listRepositories(name: string): AsyncIterable<RepositoryV2> {
    const operation = "registries_list_repositoriesV2";
    return paginateByToken((cursor: Cursor | undefined) => this.page({
      operation, method: "GET", template: "/v2/registries/{registry_name}/repositoriesV2",
      params: { registry_name: name }, subject: `registry "${name}"`,
      query: { per_page: PER_PAGE, page: cursor?.page, page_token: cursor?.pageToken },
    }, repositoryV2PageSchema(), (b) => b.repositories), this.listOptions(operation, (r: RepositoryV2) => r.name));
  }

  /** Tags of a repository (`repo` may contain `/`). */
  listTags(name: string, repo: string): AsyncIterable<RepositoryTag> {
    const operation = "registries_list_repositoryTags";
    return paginateByPage((page) => this.page({
      operation, method: "GET", template: "/v2/registries/{registry_name}/repositories/{repository_name}/tags",
      params: { registry_name: name, repository_name: repo }, subject: repoSubject(name, repo), query: { per_page: PER_PAGE, page },
    }, tagPageSchema(), (b) => b.tags), this.listOptions(operation, (t: RepositoryTag) => t.tag));
  }

  /** Manifests of a repository. */
  listManifests(name: string, repo: string): AsyncIterable<RepositoryManifest> {
    const operation = "registries_list_repositoryManifests";
    return paginateByPage((page) => this.page({
      operation, method: "GET", template: "/v2/registries/{registry_name}/repositories/{repository_name}/digests",
      params: { registry_name: name, repository_name: repo }, subject: repoSubject(name, repo), query: { per_page: PER_PAGE, page },
    }, manifestPageSchema(), (b) => b.manifests), this.listOptions(operation, (m: RepositoryManifest) => m.digest));
  }

  /** Deletes a repository and all its tags. */
  async deleteRepository(name: string, repo: string): Promise<void> {
    await callNoContent(this.settings, {
      operation: "registries_delete_repository", method: "DELETE", template: "/v2/registries/{registry_name}/repositories/{repository_name}",
      params: { registry_name: name, repository_name: repo }, subject: repoSubject(name, repo),
    });
  }

  /** Deletes a tag. */
  async deleteTag(name: string, repo: string, tag: string): Promise<void> {
    await callNoContent(this.settings, {
      operation: "registries_delete_repositoryTag", method: "DELETE",
      template: "/v2/registries/{registry_name}/repositories/{repository_name}/tags/{repository_tag}",
      params: { registry_name: name, repository_name: repo, repository_tag: tag }, subject: `tag "${name}/${repo}:${tag}"`,
    });
  }

  /** Deletes a manifest by digest. */
  async deleteManifest(name: string, repo: string, digest: string): Promise<void> {
    await callNoContent(this.settings, {
      operation: "registries_delete_repositoryManifest", method: "DELETE",
      template: "/v2/registries/{registry_name}/repositories/{repository_name}/digests/{manifest_digest}",
      params: { registry_name: name, repository_name: repo, manifest_digest: digest }, subject: `manifest "${name}/${repo}@${digest}"`,
    });
  }

  private async page<B extends { meta?: { total: number }; links?: Page<unknown>["info"]["links"] }, T>(
    call: Parameters<typeof callJson>[1], schema: z.ZodType<B>, items: (body: B) => T[] | undefined,
  ): Promise<Page<T>> {
    const body = await callJson(this.settings, call, schema);
    return { items: items(body) ?? [], info: { meta: body.meta, links: body.links } };
  }

  private listOptions<T>(operation: string, key: (item: T) => string) {
    return { operation, key, concurrency: this.pageConcurrency, log: this.settings.log };
  }
}

function repoSubject(name: string, repo: string): string {
  return `repository "${repo}" in registry "${name}"`;
}

function positive(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw invalidOption(option, value);
  return value;
}

function nonNegative(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw invalidOption(option, value);
  return value;
}

function envNumber(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw createDocrError({ kind: "configuration", operation: "configuration", detail: `${name} must be a positive number, got "${raw.slice(0, 40)}"` });
  }
  return value;
}

function invalidOption(option: string, value: unknown) {
  return createDocrError({ kind: "configuration", operation: "configuration", detail: `invalid DocrClient option ${option}: ${String(value)}` });
}
