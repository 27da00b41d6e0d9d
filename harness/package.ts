import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const ROOT_PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
};

/** The versions this repository pins, for the programs the tests install. */
export const PINNED = {
    pulumi: ROOT_PACKAGE.devDependencies["@pulumi/pulumi"],
    typescript: ROOT_PACKAGE.devDependencies.typescript,
    typesNode: ROOT_PACKAGE.devDependencies["@types/node"],
    policy: ROOT_PACKAGE.devDependencies["@pulumi/policy"],
};

let tarball: string | undefined;

/**
 * `npm pack` of this repository, once per test run. `npm test` builds dist/ first (pretest), so the
 * tarball holds what the sources say.
 */
export function packedTarball(): string {
    if (tarball) return tarball;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-pack-"));
    const name = execFileSync(NPM, ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], {
        cwd: ROOT,
        encoding: "utf8",
    })
        .trim()
        .split("\n")
        .pop()!;
    tarball = path.join(dir, name);
    return tarball;
}

export interface ProgramPackage {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    /** `npm install --omit=dev`, as a production deployment installs. */
    omitDev?: boolean;
}

/**
 * Installs a program's dependencies as a user would: `npm install` in its own directory, from the
 * package registry (or npm's cache), with `pulumi-docr` from the packed tarball. Nothing of this
 * repository's node_modules is linked in.
 */
export function npmInstall(dir: string, pkg: ProgramPackage): void {
    const file = path.join(dir, "package.json");
    const existing = fs.existsSync(file)
        ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>)
        : { name: path.basename(dir), private: true };
    const manifest = {
        ...existing,
        dependencies: { "pulumi-docr": `file:${packedTarball()}`, ...pkg.dependencies },
        devDependencies: pkg.devDependencies ?? {},
    };
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    const args = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];
    if (pkg.omitDev) args.push("--omit=dev");
    try {
        execFileSync(NPM, args, { cwd: dir, encoding: "utf8", stdio: "pipe" });
    } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        throw new Error(`npm install in ${dir} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`, { cause: err });
    }
}

/** A fresh JavaScript program directory with `pulumi-docr` and `@pulumi/pulumi` only (no `typescript`). */
export function installPackedPackage(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-installed-"));
    npmInstall(dir, { dependencies: { "@pulumi/pulumi": PINNED.pulumi } });
    return dir;
}

/**
 * A program directory with `pulumi-docr` installed as `npm install file:<this repository>` installs
 * it: `node_modules/pulumi-docr` a symlink to the repository. Its `@pulumi/pulumi` links to the
 * repository's copy, so the program and the package share one (as they do with a single install).
 */
export function linkedProgram(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-linked-"));
    fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
    fs.symlinkSync(ROOT, path.join(dir, "node_modules", "pulumi-docr"), "dir");
    fs.symlinkSync(
        path.join(ROOT, "node_modules", "@pulumi", "pulumi"),
        path.join(dir, "node_modules", "@pulumi", "pulumi"),
        "dir",
    );
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify(
            { name: "linked-program", private: true, dependencies: { "pulumi-docr": `file:${ROOT}` } },
            null,
            2,
        ),
    );
    return dir;
}

/** The `__provider` each resource registers, captured from a program run under runtime mocks. */
export function serializedAsInstalled(appDir: string): Record<string, string> {
    const program = `
const pulumi = require("@pulumi/pulumi");
const captured = {};
pulumi.runtime.setMocks({
    newResource(args) { captured[args.type.split(":").pop()] = args.inputs.__provider; return { id: args.name, state: args.inputs }; },
    call() { return {}; },
}, "docr", "size", false);
const docr = require("pulumi-docr");
const reg = new docr.Registry("r", { name: "acme" });
const resources = [
    reg,
    new docr.Subscription("s", { tierSlug: "basic" }),
    new docr.RegistryCredentials("c", { registryName: reg.name }),
    new docr.RetentionPolicy("p", { registryName: "acme" }),
    new docr.GarbageCollection("g", { registryName: "acme" }),
    new docr.ClusterRegistryIntegration("i", { clusterIds: ["bd5f5959-5e1e-4205-a714-a914373942af"], registryNames: ["acme"] }),
];
// Each id resolves once its registration (with the serialized provider) reached the mock monitor.
Promise.all(resources.map((r) => new Promise((done) => r.id.apply(done)))).then(() => process.stdout.write(JSON.stringify(captured)));
`;
    fs.writeFileSync(path.join(appDir, "program.js"), program);
    return JSON.parse(execFileSync(process.execPath, ["program.js"], { cwd: appDir, encoding: "utf8" })) as Record<
        string,
        string
    >;
}

/**
 * The tsconfig.json of Pulumi's `typescript` template, as `pulumi new typescript` writes it: no
 * esModuleInterop, no skipLibCheck (the package's declarations must type-check without them).
 */
export const PULUMI_NEW_TSCONFIG = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: true,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
};
