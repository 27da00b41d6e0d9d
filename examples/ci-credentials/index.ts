/**
 * Short-lived push credentials for CI, renewed by `pulumi up` near their expiry.
 *
 * Run this at the start of every CI job:
 *
 *   pulumi up --yes --stack ci
 *   export DOCKER_CONFIG=$(mktemp -d)   # a config of its own: never overwrite the user's
 *   pulumi stack output dockerConfigJson --show-secrets --stack ci > "$DOCKER_CONFIG/config.json"
 *   docker push registry.digitalocean.com/<registry>/app:$GIT_SHA
 *
 * While the credentials are fresh, `pulumi up` changes nothing and the same ones are handed out.
 * Inside the renew window (the last `renewBeforeSeconds` of their life), or once expired, the
 * provider's diff asks for a replacement: new credentials are issued first, then the old ones are
 * dropped from state (`[diff: ~expiresAt]` in the preview). A job therefore always gets credentials
 * valid for at least `renewBeforeSeconds`: make that longer than your longest job.
 *
 * Credentials cannot be revoked one by one through the API; short lifetimes are the revocation.
 */
import * as pulumi from "@pulumi/pulumi";
import { RegistryCredentials, getRegistryOutput } from "pulumi-docr";

const config = new pulumi.Config();
const registryName = config.require("registryName");
const expirySeconds = config.getNumber("expirySeconds") ?? 3600;
const renewBeforeSeconds = config.getNumber("renewBeforeSeconds") ?? Math.floor(expirySeconds / 2);

if (renewBeforeSeconds >= expirySeconds) {
    throw new Error(`renewBeforeSeconds (${renewBeforeSeconds}) must be less than expirySeconds (${expirySeconds})`);
}

// Fails early, naming the registry, when it does not exist in this team.
const registry = getRegistryOutput({ name: registryName });

const push = new RegistryCredentials("ci-push", {
    registryName: registry.name,
    readWrite: true,
    expirySeconds,
    renewBeforeSeconds,
});

/** Secret: the docker config for `docker login`-free pushes. */
export const dockerConfigJson = pulumi.secret(push.dockerConfigJson);
export const server = registry.serverUrl;
export const issuedAt = push.issuedAt;
export const expiresAt = push.expiresAt;
/** The first `pulumi up` after this time issues new credentials. */
export const renewsAfter = push.expiresAt.apply((at) =>
    at ? new Date(Date.parse(at) - renewBeforeSeconds * 1000).toISOString() : undefined,
);
