/**
 * pulumi-docr: DigitalOcean Container Registry as code.
 *
 * ```ts
 * import { Registry, RegistryCredentials, getRegistryOptions } from "pulumi-docr";
 * ```
 */
export { Registry } from "./resources/registry";
export type { RegistryArgs } from "./resources/registry";
export { Subscription } from "./resources/subscription";
export type { SubscriptionArgs } from "./resources/subscription";
export { RegistryCredentials } from "./resources/registry-credentials";
export type { RegistryCredentialsArgs } from "./resources/registry-credentials";
export { ClusterRegistryIntegration } from "./resources/cluster-registry-integration";
export type { ClusterRegistryIntegrationArgs } from "./resources/cluster-registry-integration";
export * from "./functions/registry-options";
export * from "./functions/registries";
export * from "./functions/subscription";
export * from "./functions/repositories";
export * from "./functions/garbage-collections";
export * from "./functions/kubernetes-clusters";
export type { InvokeOptions } from "./functions/invoke";
export { DocrClient } from "./client";
export type { ClientOptions } from "./client";
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
    NetworkError,
    TimeoutError,
    MalformedResponseError,
    ConfigurationError,
} from "./client/errors";
export type { DocrErrorKind } from "./client/errors";
export { RetentionPolicy } from "./resources/retention-policy";
export type { RetentionPolicyArgs } from "./resources/retention-policy";
export { GarbageCollection } from "./resources/garbage-collection";
export type { GarbageCollectionArgs } from "./resources/garbage-collection";
