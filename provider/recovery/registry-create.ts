/**
 * A Registry create that may have happened without its answer: journaled before the request, and
 * looked for by the next create of the same stack resource (journal.ts). What is adopted is provably
 * that create's work: the entry is this resource's (its URN), and the registry found has the name
 * and region asked for and was created no earlier than the request went out, by the API's clock.
 */
import type { DocrClient, Registry as ApiRegistry } from "../client";
import { errorKind } from "../client/errors";
import { clearEntry, createdSinceEntry, journalDir, journalRequest, readEntry, type JournalEntry } from "./journal";

/** What the create asks for. */
export interface RegistryCreateIntent {
    urn: string;
    name: string;
    region?: string;
}

/** The environment variable that names registries the team confirmed an interrupted run created. */
export const ADOPT_ENV = "DOCR_ADOPT_REGISTRY";

/** The one command that adopts `name` after an interrupted create this machine has no record of. */
export function adoptCommand(name: string): string {
    return `${ADOPT_ENV}=${name} pulumi up`;
}

/** Whether the person running this `pulumi up` named `name` in {@link ADOPT_ENV} (comma-separated). */
export function adoptionConfirmed(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
    return (env[ADOPT_ENV] ?? "")
        .split(",")
        .map((s) => s.trim())
        .includes(name);
}

/**
 * The registry an earlier, interrupted create of this resource made, when the journal has that
 * create and the registry is provably its work; `undefined` when there is nothing to recover (the
 * entry is then forgotten and the create goes ahead). Throws when that create made a registry the
 * program no longer asks for: it is left for the person to decide, the entry kept.
 */
export async function recoverInterruptedCreate(
    client: DocrClient,
    intent: RegistryCreateIntent,
): Promise<ApiRegistry | undefined> {
    const entry = readEntry(intent.urn);
    if (!entry || entry.apiUrl !== client.apiUrl) return undefined;
    let found: ApiRegistry;
    try {
        found = await client.getRegistry(entry.name);
    } catch (err) {
        if (errorKind(err) !== "not_found") throw err;
        clearEntry(intent.urn);
        return undefined;
    }
    if (!madeBy(client, entry, found)) {
        clearEntry(intent.urn);
        return undefined;
    }
    if (found.name !== intent.name || (intent.region !== undefined && found.region !== intent.region)) {
        throw new Error(
            `an interrupted pulumi up of this resource created registry "${found.name}" (region ${found.region ?? "unknown"}), ` +
                `but the program now declares "${intent.name}"${intent.region ? ` in ${intent.region}` : ""}: declare it as it was ` +
                `and run pulumi up to adopt it, or delete it (\`doctl registry delete ${found.name}\`) and run pulumi up. ` +
                `The record of that create is ${journalDir()}.`,
        );
    }
    clearEntry(intent.urn);
    return found;
}

/** Found in the entry's region (if it named one), created no earlier than the entry's request went out. */
function madeBy(client: DocrClient, entry: JournalEntry, found: ApiRegistry): boolean {
    if (entry.region !== undefined && found.region !== entry.region) return false;
    return createdSinceEntry(client, entry, found.created_at);
}

/** A journaled create: written before the request, forgotten once its outcome is known. */
export interface JournaledCreate {
    /** The outcome is known (created, refused, or adopted): forget the entry. */
    settled(): void;
    /** Whether the next run will find the entry (it could be written). */
    readonly recorded: boolean;
}

/** Writes the entry for a create about to be sent; `warn` hears why it could not be. */
export function journalCreate(
    client: DocrClient,
    intent: RegistryCreateIntent,
    warn: (message: string) => void,
): JournaledCreate {
    const problem = journalRequest(client, {
        urn: intent.urn,
        kind: "Registry",
        name: intent.name,
        region: intent.region,
    });
    if (problem !== undefined)
        warn(`registry "${intent.name}": could not record the create in ${journalDir()} (${problem})`);
    return { settled: () => clearEntry(intent.urn), recorded: problem === undefined };
}

/**
 * Whether a check that refuses a new Registry named like one of the team's registries must let this
 * one through: this resource's interrupted create may have made it (the next create adopts it or
 * says why not), or the person running this `pulumi up` confirmed it ({@link ADOPT_ENV}).
 */
export function mayBeOwnInterruptedCreate(urn: string | undefined, name: string): boolean {
    if (adoptionConfirmed(name)) return true;
    const entry = urn === undefined ? undefined : readEntry(urn);
    return entry?.kind === "Registry" && entry.name === name;
}
