/**
 * A GarbageCollection start that may have happened without its answer (recovery/journal.ts): the
 * next create of the same stack resource takes the run that start began, active or finished,
 * rather than starting a second one or joining it as someone else's. A run is that start's when it
 * is of the journaled registry and was created no earlier than the request went out (API clock).
 */
import type { DocrClient, GarbageCollection as ApiRun } from "../client";
import { errorKind } from "../client/errors";
import { clearEntry, createdSinceEntry, journalRequest, readEntry, type JournalEntry } from "./journal";

const KIND = "GarbageCollection";

/** The run an interrupted start of this resource began, if the journal has one and it is found. */
export async function recoverInterruptedStart(
    client: DocrClient,
    urn: string,
    registryName: string,
): Promise<ApiRun | undefined> {
    const entry = readEntry(urn);
    if (!entry || entry.kind !== KIND || entry.apiUrl !== client.apiUrl || entry.name !== registryName)
        return undefined;
    let found: ApiRun | undefined;
    try {
        const active = await client.getActiveGarbageCollection(registryName);
        found = active && startedSince(client, entry, active) ? active : undefined;
        if (!found) {
            for await (const run of client.listGarbageCollections(registryName)) {
                if (startedSince(client, entry, run) && (!found || (run.created_at ?? "") < (found.created_at ?? "")))
                    found = run;
            }
        }
    } catch (err) {
        if (errorKind(err) !== "not_found") throw err;
    }
    clearEntry(urn);
    return found;
}

function startedSince(client: DocrClient, entry: JournalEntry, run: ApiRun): boolean {
    return createdSinceEntry(client, entry, run.created_at);
}

/** Writes the entry before a start goes out; returns what forgets it once the start's outcome is known. */
export function journalStart(client: DocrClient, urn: string, registryName: string): () => void {
    journalRequest(client, { urn, kind: KIND, name: registryName });
    return () => clearEntry(urn);
}
