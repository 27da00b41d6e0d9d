/**
 * pulumi-docr: DigitalOcean Container Registry as code.
 *
 * ```ts
 * import { Registry, RegistryCredentials, getRegistryOptions } from "pulumi-docr";
 * ```
 */
export { Registry } from "./resources/registry";
export type { RegistryArgs, RegistryOutputs } from "./resources/registry";
export { Subscription } from "./resources/subscription";
export type { SubscriptionArgs, SubscriptionOutputs } from "./resources/subscription";
export { RegistryCredentials } from "./resources/registry-credentials";
export type { RegistryCredentialsArgs, RegistryCredentialsOutputs } from "./resources/registry-credentials";
export { ClusterRegistryIntegration } from "./resources/cluster-registry-integration";
export type {
    ClusterRegistryIntegrationArgs,
    ClusterRegistryIntegrationOutputs,
} from "./resources/cluster-registry-integration";
export * from "./functions/registry-options";
export * from "./functions/registries";
export * from "./functions/subscription";
export * from "./functions/repositories";
export * from "./functions/repository-contents";
export * from "./functions/garbage-collections";
export * from "./functions/kubernetes-clusters";
export { DocrClient, collect } from "./client";
export type {
    ClientOptions,
    Connection,
    Logger,
    Registry as ApiRegistry,
    Subscription as ApiSubscription,
    SubscriptionTier as ApiSubscriptionTier,
    RegistryOptions as ApiRegistryOptions,
    DockerCredentials,
    DockerCredentialsOptions,
    CreateRegistryArgs,
    StartGarbageCollectionOptions,
    GarbageCollection as ApiGarbageCollection,
    KubernetesCluster as ApiKubernetesCluster,
    ClusterRegistries,
    RepositoryV2,
    RepositoryTag,
    RepositoryManifest,
} from "./client";
export {
    DocrError,
    errorKind,
    BadRequestError,
    UnauthorizedError,
    ForbiddenError,
    NotFoundError,
    ConflictError,
    PreconditionFailedError,
    UnprocessableError,
    RateLimitedError,
    ServerError,
    ProxyError,
    NetworkError,
    TimeoutError,
    MalformedResponseError,
    ConfigurationError,
} from "./client/errors";
export type { DocrErrorKind } from "./client/errors";
export { RetentionPolicy } from "./resources/retention-policy";
export type { RetentionPolicyArgs, RetentionPolicyOutputs } from "./resources/retention-policy";
export { GarbageCollection } from "./resources/garbage-collection";
export type { GarbageCollectionArgs, GarbageCollectionOutputs } from "./resources/garbage-collection";
