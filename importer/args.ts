/**
 * The command line of `docr-import`, parsed in one place: every mode is one variant of
 * {@link Command}, so a new mode is a new variant and a branch in cli.ts.
 */
import { parseArgs } from "node:util";

export const USAGE = `Usage: docr-import [options]
Writes a \`pulumi import --file\` file for what the team already has, and prints the program code to add.
  --registry NAME   a registry to import (repeatable)
  --all             every registry of the team
  --name LOGICAL    the resource name in the program (with one registry; default: the registry name)
  --subscription    the team's subscription (its tier)
  --cluster ID      a DOKS cluster whose integration with the registries above to import (repeatable)
  --out FILE        write the import file there (default: stdout, and the code goes to stderr)
  --js              print JavaScript instead of TypeScript
  --stack NAME      the stack whose config holds the token (default: the selected stack)
  --help            this text
Token and API URL: the stack's config (digitalocean:token, digitalocean:apiUrl) when run in a Pulumi
project directory, then DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) and DIGITALOCEAN_API_URL.
Then: pulumi import --file <FILE> --generate-code=false`;

/** What the user asked for, checked. */
export type Command = { kind: "help" } | ({ kind: "import" } & ImportRequest);

/** `docr-import` writing an import file. */
export interface ImportRequest {
    registries: string[];
    all: boolean;
    name?: string;
    subscription: boolean;
    clusters: string[];
    out?: string;
    js: boolean;
    stack?: string;
}

/** A command line that cannot run: the message names the flag. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
        this.message = message;
    }
}

const OPTIONS = {
    registry: { type: "string", multiple: true },
    all: { type: "boolean" },
    name: { type: "string" },
    subscription: { type: "boolean" },
    cluster: { type: "string", multiple: true },
    out: { type: "string" },
    js: { type: "boolean" },
    stack: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

export function parseCommand(argv: string[]): Command {
    let values;
    try {
        ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
    } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    if (values.help) return { kind: "help" };
    const registries = values.registry ?? [];
    const clusters = values.cluster ?? [];
    for (const [flag, list] of [
        ["--registry", registries],
        ["--cluster", clusters],
    ] as const) {
        const blank = list.find((v) => v.trim() === "");
        if (blank !== undefined) throw new UsageError(`${flag} needs a value`);
        const twice = list.find((v, i) => list.indexOf(v) < i);
        if (twice !== undefined) throw new UsageError(`${flag} "${twice}" is given twice`);
    }
    if (values.all && registries.length > 0) throw new UsageError("--all and --registry exclude each other");
    if (registries.length === 0 && !values.all && !values.subscription && clusters.length === 0) {
        throw new UsageError("nothing to import: give --registry NAME, --all, --subscription or --cluster ID");
    }
    if (clusters.length > 0 && registries.length === 0 && !values.all) {
        throw new UsageError(
            "--cluster needs --registry NAME or --all: the API cannot list which registries a cluster has, so name them",
        );
    }
    if (values.name !== undefined && (values.all || registries.length !== 1)) {
        throw new UsageError("--name names one registry: give exactly one --registry with it");
    }
    if (values.name !== undefined && !/^[A-Za-z_][\w-]*$/.test(values.name)) {
        throw new UsageError(`--name "${values.name}" is not a resource name: letters, digits, "-" and "_"`);
    }
    if (values.out !== undefined && values.out.trim() === "") throw new UsageError("--out needs a file name");
    return {
        kind: "import",
        registries,
        all: values.all ?? false,
        name: values.name,
        subscription: values.subscription ?? false,
        clusters,
        out: values.out,
        js: values.js ?? false,
        stack: values.stack,
    };
}
