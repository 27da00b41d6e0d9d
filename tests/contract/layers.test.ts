/**
 * Dependencies in provider/ run one way: client/ knows nothing of Pulumi or of the rest of the
 * package; shared/ (what resources and data sources both use) sits on the client; data sources
 * (functions/) and resources never import each other.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

const PROVIDER = path.resolve(__dirname, "..", "..", "provider");

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return sources(full);
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** Every module a source imports: package names as written, relative ones as `~/<path under provider/>`. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    return [
        ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^"']*?from\s+["']([^"']+)["']|require\(["']([^"']+)["']\)/g),
    ].map((m) => {
        const spec = m[1] ?? m[2] ?? "";
        return spec.startsWith(".") ? `~/${path.relative(PROVIDER, path.resolve(path.dirname(file), spec))}` : spec;
    });
}

/** The folder of provider/ a source or a `~/` import is in (`client`, `resources`, …); `undefined` for a package. */
function area(relative: string): string | undefined {
    if (relative.startsWith("@") || (!relative.startsWith("~/") && !relative.endsWith(".ts"))) return undefined;
    return relative.replace(/^~\//, "").split(path.sep)[0];
}

describe("provider/ layers", function () {
    const files = sources(PROVIDER).map((file) => ({ file: path.relative(PROVIDER, file), imports: importsOf(file) }));

    it("finds the sources and their imports (so the rules below can fail)", function () {
        const registry = files.find((f) => f.file === path.join("resources", "registry.ts"));
        expect(registry?.imports).to.include(`~/${path.join("client", "errors")}`);
        expect(registry?.imports).to.include("@pulumi/pulumi");
        expect(files.length).to.be.above(40);
    });

    it("client/ imports nothing of Pulumi and nothing outside client/", function () {
        const offending = files
            .filter((f) => area(f.file) === "client")
            .flatMap((f) =>
                f.imports
                    .filter((i) => i.startsWith("@pulumi/") || (i.startsWith("~/") && area(i) !== "client"))
                    .map((i) => `${f.file} -> ${i}`),
            );
        expect(offending).to.deep.equal([]);
    });

    it("data sources do not import resources, resources do not import data sources, shared/ imports neither", function () {
        const rules: Record<string, string[]> = {
            functions: ["resources"],
            resources: ["functions"],
            shared: ["resources", "functions"],
        };
        const offending = files.flatMap((f) => {
            const banned = rules[area(f.file) ?? ""] ?? [];
            return f.imports.filter((i) => banned.includes(area(i) ?? "")).map((i) => `${f.file} -> ${i}`);
        });
        expect(offending).to.deep.equal([]);
    });

    it("no double cast (`as unknown as`) anywhere in provider/", function () {
        const offending = files
            .filter((f) => fs.readFileSync(path.join(PROVIDER, f.file), "utf8").includes("as unknown as"))
            .map((f) => f.file);
        expect(offending).to.deep.equal([]);
    });
});
