/** Writing a small state file so that no reader ever sees half of it. */
import { randomUUID } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { messageOf } from "../client/errors";

/**
 * Replaces `file` at once: the text goes to a temporary file beside it, which is then renamed into
 * place, so a concurrent reader, or a process killed mid-write, sees the old content or the new.
 * Creates the folder. Returns why it could not, if it could not (the temporary file is removed).
 */
export function replaceFile(file: string, text: string): string | undefined {
    const temporary = `${file}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
    try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(temporary, text);
        renameSync(temporary, file);
        return undefined;
    } catch (err) {
        rmSync(temporary, { force: true });
        return messageOf(err);
    }
}
