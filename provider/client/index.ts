/**
 * The DigitalOcean Container Registry API client (`/v2/registries`, and the DOKS registry
 * integration under `/v2/kubernetes`). See docs/CONTRACTS.md.
 */
import * as gc from "./operations/garbage-collection";
import * as kubernetes from "./operations/kubernetes";
import * as registries from "./operations/registries";
import * as repositories from "./operations/repositories";
import { type ClientOptions, resolveSettings } from "./options";
import type { ClientSettings } from "./settings";
import type {
    ClusterRegistries,
    CreateRegistryArgs,
    DockerCredentials,
    DockerCredentialsOptions,
    GarbageCollection,
    KubernetesCluster,
    Registry,
    RegistryOptions,
    RepositoryManifest,
    RepositoryTag,
    RepositoryV2,
    StartGarbageCollectionOptions,
    Subscription,
} from "./types";
import type { QuotaSnapshot } from "./quota";

export * from "./errors";
export { collect } from "./pagination";
export { envNumber, MILLISECONDS, POSITIVE, type NumberRange } from "./env";
export { DOCR_HOST } from "./operations/registries";
export type { ClientOptions } from "./options";
export type { Connection } from "./connection";
export type { Logger } from "./retry";
export type * from "./types";
export type { QuotaSnapshot } from "./quota";

/**
 * DOCR API client: every response validated, errors typed (branch on `errorKind(err)`), retries
 * for idempotent calls, one process-wide rate limit, paged lists as async iterables.
 *
 * Construct it where it is used (inside provider methods), not at module scope: the token is
 * resolved at construction and must not be captured into serialized state.
 *
 * @example
 * ```ts
 * const client = new DocrClient({ logger: (level, msg) => console.error(level, msg) });
 * const registry = await client.createRegistry({ name: "acme", region: "fra1", subscription_tier_slug: "basic" });
 * for await (const tag of client.listTags("acme", "team/app")) console.log(tag.tag);
 * try { await client.getRegistry("gone"); } catch (err) { if (errorKind(err) !== "not_found") throw err; }
 * ```
 */
export class DocrClient {
    // An ECMAScript private field: the settings hold the token, and neither console.log, JSON.stringify
    // nor util.inspect (even with showHidden) shows a private field.
    readonly #settings: ClientSettings;

    constructor(options: ClientOptions = {}) {
        this.#settings = resolveSettings(options);
    }

    /** The API base URL in use (no token). */
    get apiUrl(): string {
        return this.#settings.connection.apiUrl;
    }

    /**
     * The earliest the API's clock can have read at local time `localMs` (epoch ms), from the `Date`
     * header of the latest response; `undefined` before any response. Compare a resource's
     * `created_at` with `serverTimeAt(err.sentAt)` to tell whether a create whose response was lost made it.
     */
    serverTimeAt(localMs: number): number | undefined {
        return this.#settings.clock.serverTimeAt(localMs);
    }

    /**
     * The API's hourly quota for this client's token as this process last learned it (from every
     * response's `ratelimit-*` headers), and the process's own per-minute limit. Read-only: e.g. to
     * estimate how long N requests take (`remaining - reserve` of them go out now, the rest as the
     * hour's oldest requests expire). Fields are `undefined` before a response carried them.
     */
    quota(): QuotaSnapshot {
        const { tracker, quota, limiter } = this.#settings;
        return tracker.snapshot(quota.reserve, limiter.maxRequestsPerMinute);
    }

    /** All registries of the account (with their subscription). */
    listRegistries(): Promise<Registry[]> {
        return registries.listRegistries(this.#settings);
    }
    /** Creates a registry. Never retried: after a timeout or dropped connection, look it up by name. */
    createRegistry(args: CreateRegistryArgs): Promise<Registry> {
        return registries.createRegistry(this.#settings, args);
    }
    /** One registry by name (`not_found` if absent). */
    getRegistry(name: string): Promise<Registry> {
        return registries.getRegistry(this.#settings, name);
    }
    /** Deletes a registry and all its images (`not_found` if absent). */
    deleteRegistry(name: string): Promise<void> {
        return registries.deleteRegistry(this.#settings, name);
    }
    /** Regions and subscription tiers, with the account's eligibility per tier. */
    getOptions(): Promise<RegistryOptions> {
        return registries.getOptions(this.#settings);
    }
    /** The account's subscription. */
    getSubscription(): Promise<Subscription> {
        return registries.getSubscription(this.#settings);
    }
    /** Sets the subscription tier (a POST, retried: setting a tier is idempotent). */
    updateSubscription(tierSlug: string): Promise<Subscription> {
        return registries.updateSubscription(this.#settings, tierSlug);
    }
    /** Whether `name` is free to use (204 = true, 409 = false). */
    validateName(name: string): Promise<boolean> {
        return registries.validateName(this.#settings, name);
    }
    /** Docker `config.json` credentials; `expirySeconds` 0 means they never expire. */
    getDockerCredentials(name: string, opts: DockerCredentialsOptions = {}): Promise<DockerCredentials> {
        return registries.getDockerCredentials(this.#settings, name, opts);
    }

    /** The running garbage collection, or `undefined` (404) when none runs. */
    getActiveGarbageCollection(name: string): Promise<GarbageCollection | undefined> {
        return gc.getActiveGarbageCollection(this.#settings, name);
    }
    /** Starts a garbage collection. Never retried: after a lost response, check the active one. */
    startGarbageCollection(name: string, opts: StartGarbageCollectionOptions = {}): Promise<GarbageCollection> {
        return gc.startGarbageCollection(this.#settings, name, opts);
    }
    /** Cancels a garbage collection (`PUT {cancel: true}`). */
    cancelGarbageCollection(name: string, uuid: string): Promise<GarbageCollection> {
        return gc.cancelGarbageCollection(this.#settings, name, uuid);
    }
    /** Past and current garbage collections (paged, pages after the first fetched concurrently). */
    listGarbageCollections(name: string): AsyncIterable<GarbageCollection> {
        return gc.listGarbageCollections(this.#settings, name);
    }

    /** Repositories of a registry (repositoriesV2, following `page_token` page by page). */
    listRepositories(name: string): AsyncIterable<RepositoryV2> {
        return repositories.listRepositories(this.#settings, name);
    }
    /** Tags of a repository (`repo` may contain `/`; it travels as `%2F`). */
    listTags(name: string, repo: string): AsyncIterable<RepositoryTag> {
        return repositories.listTags(this.#settings, name, repo);
    }
    /** Manifests of a repository. */
    listManifests(name: string, repo: string): AsyncIterable<RepositoryManifest> {
        return repositories.listManifests(this.#settings, name, repo);
    }
    /** Deletes a repository and all its tags. */
    deleteRepository(name: string, repo: string): Promise<void> {
        return repositories.deleteRepository(this.#settings, name, repo);
    }
    /** Deletes a tag (its manifest stays, untagged). */
    deleteTag(name: string, repo: string, tag: string): Promise<void> {
        return repositories.deleteTag(this.#settings, name, repo, tag);
    }
    /** Deletes a manifest by digest (and its tags). */
    deleteManifest(name: string, repo: string, digest: string): Promise<void> {
        return repositories.deleteManifest(this.#settings, name, repo, digest);
    }

    /** The team's DOKS clusters (paged, pages after the first fetched concurrently). */
    listKubernetesClusters(): AsyncIterable<KubernetesCluster> {
        return kubernetes.listKubernetesClusters(this.#settings);
    }
    /** One DOKS cluster by id (`not_found` if absent). */
    getKubernetesCluster(id: string): Promise<KubernetesCluster> {
        return kubernetes.getKubernetesCluster(this.#settings, id);
    }
    /** Integrates every registry named with every cluster named (retried: adding a pair twice adds it once). */
    addClusterRegistries(pairs: ClusterRegistries): Promise<void> {
        return kubernetes.addClusterRegistries(this.#settings, pairs);
    }
    /** Removes every registry named from every cluster named. */
    removeClusterRegistries(pairs: ClusterRegistries): Promise<void> {
        return kubernetes.removeClusterRegistries(this.#settings, pairs);
    }
}
