/**
 * Where the Pulumi CLI is: the build of `bash tools/pulumi-cli/build.sh` (its cache), else a CLI on
 * PATH that has the Node.js language host beside it. Used by the end-to-end tests and the demo.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const BINARIES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (dir && fs.existsSync(path.join(dir, name))) return dir;
    }
    return undefined;
}

/** The folder holding `pulumi` and its Node.js plugins, if there is one. */
export function findCli(): string | undefined {
    const cached = execFileSync("bash", [path.join(__dirname, "build.sh"), "--where"], { encoding: "utf8" }).trim();
    if (BINARIES.every((b) => fs.existsSync(path.join(cached, b)))) return cached;
    const dir = onPath("pulumi");
    return dir && onPath("pulumi-language-nodejs") ? dir : undefined;
}

export const HOW_TO_GET_THE_CLI =
    "build it with `bash tools/pulumi-cli/build.sh` (about 5 minutes, needs Go) or put a Pulumi CLI on PATH";
