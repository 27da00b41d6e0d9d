/**
 * The examples typecheck in CI without installing their dependencies: examples/tsconfig.json maps
 * "pulumi-docr" to this repository's provider/ sources. A broken example fails here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { load as loadYaml } from "js-yaml";

const ROOT = path.resolve(__dirname, "..", "..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const EXAMPLES = ["multi-env", "ci-credentials", "inventory", "quickstart", "cleanup", "doks"];

interface Compile {
    status: number | null;
    diagnostics: string[];
    files: string[];
}

/** `tsc --noEmit -p <config> --listFiles`: exit status, error lines, compiled files. */
function tsc(config: string): Compile {
    const res = spawnSync(process.execPath, [TSC, "--noEmit", "--pretty", "false", "--listFiles", "-p", config], {
        cwd: ROOT,
        encoding: "utf8",
    });
    const lines = `${res.stdout}${res.stderr}`.split("\n").filter((l) => l.trim() !== "");
    return {
        status: res.status,
        diagnostics: lines.filter((l) => /error TS\d+/.test(l)),
        files: lines.filter((l) => !/error TS\d+/.test(l)).map((l) => path.resolve(ROOT, l.trim())),
    };
}

describe("examples typecheck", function () {
    this.timeout(120_000);
    let all: Compile;

    before(function () {
        all = tsc(path.join(ROOT, "examples", "tsconfig.json"));
    });

    for (const example of EXAMPLES) {
        it(`${example} compiles`, function () {
            const dir = path.join(ROOT, "examples", example);
            expect(all.files, "the example is part of the typecheck").to.include(path.join(dir, "index.ts"));
            const own = all.diagnostics.filter((d) => path.resolve(ROOT, d.split("(")[0]).startsWith(dir + path.sep));
            expect(own, own.join("\n")).to.deep.equal([]);
        });
    }

    it("the whole examples program compiles (provider sources included) and uses the real provider types", function () {
        expect(all.diagnostics, all.diagnostics.join("\n")).to.deep.equal([]);
        expect(all.status).to.equal(0);
        expect(all.files).to.include(path.join(ROOT, "provider", "index.ts"));
    });

    it("the demo compiles (demo/tsconfig.json)", function () {
        const demo = tsc(path.join(ROOT, "demo", "tsconfig.json"));
        const own = demo.diagnostics.filter((d) => d.startsWith("demo/"));
        expect(own, own.join("\n")).to.deep.equal([]);
        expect(demo.files).to.include(path.join(ROOT, "demo", "index.ts"));
    });

    it("a broken example fails the typecheck (so this test can catch one)", function () {
        const dir = mkdtempSync(path.join(tmpdir(), "docr-broken-example-"));
        try {
            writeFileSync(
                path.join(dir, "index.ts"),
                'import { Registry } from "pulumi-docr";\nnew Registry("r", { nmae: "acme" });\n',
            );
            writeFileSync(
                path.join(dir, "tsconfig.json"),
                JSON.stringify({
                    extends: path.join(ROOT, "examples", "tsconfig.json"),
                    files: [path.join(dir, "index.ts")],
                }),
            );
            const broken = tsc(path.join(dir, "tsconfig.json"));
            expect(broken.status).to.not.equal(0);
            expect(broken.diagnostics.join("\n")).to.match(/nmae/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("layout", function () {
        for (const example of EXAMPLES) {
            it(`${example} is a Pulumi program depending on pulumi-docr from this checkout`, function () {
                const dir = path.join(ROOT, "examples", example);
                for (const f of ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]) {
                    expect(existsSync(path.join(dir, f)), `${example}/${f}`).to.equal(true);
                }
                const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
                    dependencies: Record<string, string>;
                };
                // Installed from the packed tarball, as users install it (a file:../.. symlink would load the root's @pulumi/pulumi).
                expect(pkg.dependencies["pulumi-docr"]).to.equal("file:../../pulumi-docr-0.1.0.tgz");
                expect(pkg.dependencies["@pulumi/pulumi"]).to.equal("3.270.0");
                const project = loadYaml(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
                    name: string;
                    runtime: { name: string };
                };
                expect(project.runtime.name).to.equal("nodejs");
            });
        }

        it("multi-env has dev, staging and prod stacks with every key the program requires", function () {
            const dir = path.join(ROOT, "examples", "multi-env");
            const project = (loadYaml(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
            const source = readFileSync(path.join(dir, "index.ts"), "utf8");
            const required = [...source.matchAll(/config\.require\("(\w+)"\)/g)].map((m) => m[1]);
            expect(required).to.include.members(["registryName", "region", "tier"]);
            const names = new Set<string>();
            for (const stack of ["dev", "staging", "prod"]) {
                const doc = loadYaml(readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as {
                    config: Record<string, string>;
                };
                for (const key of required)
                    expect(doc.config, `${stack}: ${key}`).to.have.property(`${project}:${key}`);
                names.add(doc.config[`${project}:registryName`]);
            }
            expect(names.size, "one registry name per environment").to.equal(3);
        });

        it("doks has dev and prod stacks, each naming its own cluster and registry", function () {
            const dir = path.join(ROOT, "examples", "doks");
            const project = (loadYaml(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
            const source = readFileSync(path.join(dir, "index.ts"), "utf8");
            const required = [...source.matchAll(/config\.require\("(\w+)"\)/g)].map((m) => m[1]);
            expect(required).to.include.members(["clusterName", "registryName"]);
            const fixture = JSON.parse(
                readFileSync(path.join(ROOT, "emulator", "examples", "doks-fixture.json"), "utf8"),
            ) as { clusters: { name: string }[] };
            const clusters = new Set<string>();
            const registries = new Set<string>();
            for (const stack of ["dev", "prod"]) {
                const doc = loadYaml(readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as {
                    config: Record<string, string>;
                };
                for (const key of required)
                    expect(doc.config, `${stack}: ${key}`).to.have.property(`${project}:${key}`);
                clusters.add(doc.config[`${project}:clusterName`]);
                registries.add(doc.config[`${project}:registryName`]);
            }
            expect([...clusters].sort(), "the emulator fixture seeds every stack's cluster").to.deep.equal(
                fixture.clusters.map((c) => c.name).sort(),
            );
            expect(registries.size, "one registry per environment").to.equal(2);
        });
    });
});
