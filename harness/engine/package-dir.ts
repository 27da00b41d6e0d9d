/**
 * Where a host started by the harness resolves the package. The host loads
 * `require("pulumi-docr/provider")` from its working directory (the program's, under the CLI), and
 * this repository does not depend on itself: so the harness runs hosts in a directory under the
 * repository's node_modules whose own `node_modules/pulumi-docr` links to the repository, as
 * `npm install file:<repository>` makes it. Everything else resolves from the repository's node_modules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./props";

const DIR = path.join(PROJECT_ROOT, "node_modules", ".pulumi-docr-host");

/** The directory a host runs in unless told otherwise (made on first use; `npm ci` removes it). */
export function linkedPackageDir(): string {
    const link = path.join(DIR, "node_modules", "pulumi-docr");
    if (!fs.existsSync(link)) {
        fs.mkdirSync(path.dirname(link), { recursive: true });
        try {
            fs.symlinkSync(PROJECT_ROOT, link, "dir");
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
    }
    return DIR;
}
