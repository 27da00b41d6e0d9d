/**
 * Registry cleanup as code: a retention policy that deletes old CI tags (keeping releases, the
 * newest builds and anything recent), then frees the space with a garbage collection, and a
 * weekly garbage collection of its own.
 *
 *   pulumi config set registryName acme
 *   pulumi preview            # the engine log lists what the policy would delete
 *   pulumi config set dryRun false && pulumi up
 *
 * Schedule `pulumi up --yes` (daily cron, CI schedule): the policy re-runs when `runEvery` has
 * passed or when something new became deletable.
 */
import * as pulumi from "@pulumi/pulumi";
import { GarbageCollection, RetentionPolicy } from "pulumi-docr";

const config = new pulumi.Config();
const registryName = config.require("registryName");
const dryRun = config.getBoolean("dryRun") ?? true;

const policy = new RetentionPolicy("keep-recent", {
    registryName,
    repositories: ["api", "web/*"],
    keepLast: 20,
    keepTagsMatching: ["^v\\d+\\.\\d+\\.\\d+$", "^latest$"],
    deleteUntaggedManifests: true,
    olderThanDays: 14,
    garbageCollect: true,
    dryRun,
    runEvery: "24h",
});

// A weekly collection for everything else (e.g. images deleted by hand): a new week number
// changes the trigger, which replaces the resource and starts a new run. Unreferenced blobs only:
// collecting untagged manifests too would reach beyond the policy's rules.
const week = Math.floor(Date.now() / (7 * 86_400_000));
const weekly = new GarbageCollection(
    "weekly",
    {
        registryName,
        triggers: { week },
        type: "unreferenced blobs only",
        timeoutMinutes: 60,
    },
    { dependsOn: [policy] },
);

export const planned = policy.plannedDeletions;
export const deleted = pulumi.interpolate`${policy.deletedTags} tags, ${policy.deletedManifests} manifests`;
export const freedByPolicy = pulumi.interpolate`${policy.freedBytes} bytes (${policy.freedBytesSource})`;
export const weeklyRun = { uuid: weekly.uuid, status: weekly.status, freedBytes: weekly.freedBytes };
