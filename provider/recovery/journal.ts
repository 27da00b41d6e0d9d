/**
 * The create journal: a create that the API may carry out without its answer reaching the engine
 * (a killed `pulumi up`, a client timeout) is written down before its request goes out, and
 * cleared once its outcome is known. The next `pulumi up` of the same stack resource finds the
 * entry and looks for what that create made, instead of failing on a name that is now taken.
 *
 * Entries live beside the program, in `.pulumi-docr/creates/` of the dynamic-provider host's
 * working directory (the engine starts it in the project directory): the same machine's next run
 * finds them; another machine does not, and the error then says what to run. One file per stack
 * resource (the name is a hash of its URN, so two stacks of one project never share an entry, and
 * the stack lock keeps one run per stack). An entry holds the URN, the resource's name and region,
 * the API URL and when the request went out: never the token.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import type { DocrClient } from "../client";
import { replaceFile } from "../shared/replace-file";
import { createdSince } from "../resources/lost-response";

/** Where entries go: `DOCR_JOURNAL_DIR`, else `.pulumi-docr/creates` in the working directory. */
export function journalDir(env: NodeJS.ProcessEnv = process.env): string {
    const dir = env.DOCR_JOURNAL_DIR?.trim();
    return dir ? dir : path.join(process.cwd(), ".pulumi-docr", "creates");
}

function entrySchema() {
    return z.object({
        urn: z.string(),
        kind: z.string(),
        name: z.string(),
        region: z.string().optional(),
        apiUrl: z.string(),
        /** When the request went out, by the local clock (epoch ms). */
        sentAt: z.number(),
        /** The earliest the API's clock can have read then (epoch ms), when the client knew it. */
        serverSentAt: z.number().optional(),
    });
}

/** One create whose outcome is not known yet. */
export type JournalEntry = z.infer<ReturnType<typeof entrySchema>>;

function fileOf(urn: string, dir: string): string {
    return path.join(dir, `${createHash("sha256").update(urn).digest("hex").slice(0, 32)}.json`);
}

/** The entry of this resource, if an earlier create of it never learned its outcome. */
export function readEntry(urn: string, dir: string = journalDir()): JournalEntry | undefined {
    let text: string;
    try {
        text = fs.readFileSync(fileOf(urn, dir), "utf8");
    } catch {
        return undefined;
    }
    const parsed = entrySchema().safeParse(JSON.parse(text));
    return parsed.success && parsed.data.urn === urn ? parsed.data : undefined;
}

/**
 * Writes the entry before the request goes out (written whole, then renamed into place, so a kill
 * never leaves half a file). Returns why it could not be written, if it could not: the create goes
 * on without it, and only a failure then says what to run by hand.
 */
function writeEntry(entry: JournalEntry, dir: string = journalDir()): string | undefined {
    return replaceFile(fileOf(entry.urn, dir), `${JSON.stringify(entry)}\n`);
}

/** Forgets the entry (its outcome is known); the default folder goes once it is empty. */
export function clearEntry(urn: string, dir: string = journalDir()): void {
    fs.rmSync(fileOf(urn, dir), { force: true });
    if (dir !== journalDir({})) return;
    try {
        fs.rmdirSync(dir);
        fs.rmdirSync(path.dirname(dir));
    } catch {
        // Not empty (another resource's entry), or already gone.
    }
}

/** What a journaled request needs of the client: the API it goes to, and that API's clock as seen so far. */
type JournalClient = Pick<DocrClient, "apiUrl" | "serverTimeAt">;

/** Writes the entry of a request about to go out, stamped by both clocks; returns why it could not be, if so. */
export function journalRequest(
    client: JournalClient,
    request: Pick<JournalEntry, "urn" | "kind" | "name" | "region">,
): string | undefined {
    const sentAt = Date.now();
    return writeEntry({ ...request, apiUrl: client.apiUrl, sentAt, serverSentAt: client.serverTimeAt(sentAt) });
}

/** Whether what the API created at `createdAt` came no earlier than the entry's request went out (the API's clock). */
export function createdSinceEntry(
    client: JournalClient,
    entry: JournalEntry,
    createdAt: string | null | undefined,
): boolean {
    return createdSince(createdAt, entry.serverSentAt ?? client.serverTimeAt(entry.sentAt));
}
