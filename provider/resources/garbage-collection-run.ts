/**
 * Starting, joining and waiting for garbage collections; shared by the GarbageCollection and
 * RetentionPolicy resources.
 */
import type { DocrClient, GarbageCollection } from "../client";
import { type DocrError, errorKind } from "../client/errors";
import { sleep } from "../client/sleep";
import { createdByAttempt, isOutcomeUnknown } from "./lost-response";

/** Statuses after which a run does nothing more. */
export function isFinalStatus(status: string): boolean {
    return status === "succeeded" || status === "failed" || status === "cancelled";
}

/** A run this call started, or the active one it joined. */
export interface StartedRun {
    run: GarbageCollection;
    joined: boolean;
}

/**
 * Starts a run, or joins the active one: the API allows one run per registry and answers 409 while
 * one is active, which for "make sure a GC runs" means the goal is already met. A run that is
 * being cancelled is not joined (it will not collect anything): we wait for it to end and start.
 * The start is never retried blindly by the client (not idempotent); after a lost response or a
 * 5xx we look for the active run, and count it as ours only if it began during this attempt: a
 * run someone else started is joined, so deleting this resource will not cancel it.
 */
export async function startOrJoin(client: DocrClient, registryName: string, type?: string): Promise<StartedRun> {
    let firstUnknown: DocrError | undefined;
    for (let attempt = 1; ; attempt++) {
        try {
            return {
                run: await client.startGarbageCollection(registryName, type === undefined ? {} : { type }),
                joined: false,
            };
        } catch (err) {
            const unknown = isOutcomeUnknown(err);
            if (attempt >= 20 || (errorKind(err) !== "conflict" && !unknown)) throw err;
            if (unknown) firstUnknown ??= err;
            const active = await client.getActiveGarbageCollection(registryName);
            if (active && active.status !== "cancelling") {
                const ours =
                    unknown && firstUnknown !== undefined && createdByAttempt(client, firstUnknown, active.created_at);
                return { run: active, joined: !ours };
            }
            if (!active && unknown) throw err;
            await sleep(Math.min(5000, 100 * attempt));
        }
    }
}

/** Where to look for a run that is no longer active: the registry's run history. */
export async function findRun(
    client: DocrClient,
    registryName: string,
    uuid: string,
): Promise<GarbageCollection | undefined> {
    const active = await client.getActiveGarbageCollection(registryName);
    if (active?.uuid === uuid) return active;
    for await (const run of client.listGarbageCollections(registryName)) {
        if (run.uuid === uuid) return run;
    }
    return undefined;
}

/** Options of {@link waitForRun}. */
export interface WaitOptions {
    timeoutMs: number;
    log: (message: string) => void;
    /** First poll interval; it grows by half each poll up to {@link WaitOptions.maxPollMs}. */
    pollMs?: number;
    maxPollMs?: number;
}

/**
 * Polls a run until it reaches a final status, logging each new stage. On timeout it throws an
 * error that names the run and its last status (the run itself keeps going on the server).
 */
export async function waitForRun(
    client: DocrClient,
    registryName: string,
    run: GarbageCollection,
    options: WaitOptions,
): Promise<GarbageCollection> {
    const deadline = Date.now() + options.timeoutMs;
    let current = run;
    let poll = options.pollMs ?? 200;
    options.log(`garbage collection ${run.uuid} of registry "${registryName}": ${run.status}`);
    while (!isFinalStatus(current.status)) {
        const left = deadline - Date.now();
        if (left <= 0) {
            const message =
                `garbage collection ${run.uuid} of registry "${registryName}" did not finish within ` +
                `${formatMinutes(options.timeoutMs)} (last status: "${current.status}"); it keeps running on the server. ` +
                `Raise the timeout, or check it with: doctl registry garbage-collection get-active ${registryName}`;
            // `lastRun` lets a caller record the run in state (a plain Error: its message survives serialization).
            throw Object.assign(new Error(message), { lastRun: current });
        }
        await sleep(Math.min(poll, left));
        poll = Math.min(options.maxPollMs ?? 10_000, Math.ceil(poll * 1.5));
        const found = await findRun(client, registryName, run.uuid);
        if (!found)
            throw new Error(
                `garbage collection ${run.uuid} of registry "${registryName}" disappeared (last status: "${current.status}")`,
            );
        if (found.status !== current.status) options.log(`garbage collection ${run.uuid}: ${found.status}`);
        current = found;
    }
    return current;
}

function formatMinutes(ms: number): string {
    const minutes = ms / 60_000;
    return minutes >= 1 && Number.isInteger(minutes)
        ? `${minutes} minute${minutes === 1 ? "" : "s"}`
        : `${Math.round((ms / 1000) * 10) / 10} s`;
}
