#!/usr/bin/env node
/**
 * `docr-import`: a `pulumi import --file` file for registries, the subscription and DOKS
 * integrations the team already has, and the program code to add (docs/importing.md).
 */
import * as fs from "node:fs";
import { DocrClient } from "../provider/client";
import { errorWithConfigHint } from "../provider/shared/stack-config";
import { parseCommand, UsageError, USAGE, type ImportRequest } from "./args";
import { programCode } from "./code";
import { findConnection } from "./connection";
import { planImport } from "./entries";
import { providerText } from "./provider-text";

async function runImport(request: ImportRequest): Promise<void> {
    const { connection, source } = await findConnection(process.cwd(), request.stack);
    const client = new DocrClient({ token: connection.token, apiUrl: connection.apiUrl });
    const plan = await planImport(client, request, providerText);
    const file = JSON.stringify({ resources: plan.entries }, null, 2) + "\n";
    const code = programCode(plan, request.js);
    const next =
        plan.entries.length > 0
            ? `// Then: pulumi import --file ${request.out ?? "<the file above>"} --generate-code=false\n`
            : "// Nothing to import.\n";
    process.stderr.write(`docr-import: token from ${source}; ${plan.entries.length} resource(s)\n`);
    if (request.out !== undefined) {
        fs.writeFileSync(request.out, file);
        process.stdout.write(code + "\n" + next);
    } else {
        process.stdout.write(file);
        process.stderr.write(code + "\n" + next);
    }
}

async function main(argv: string[]): Promise<number> {
    try {
        const command = parseCommand(argv);
        switch (command.kind) {
            case "help":
                process.stdout.write(USAGE + "\n");
                return 0;
            case "import":
                await runImport(command);
                return 0;
        }
    } catch (err) {
        const shown = errorWithConfigHint(err);
        process.stderr.write(`docr-import: ${shown instanceof Error ? shown.message : String(shown)}\n`);
        if (err instanceof UsageError) process.stderr.write("Run docr-import --help for the options.\n");
        return err instanceof UsageError ? 2 : 1;
    }
}

void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
