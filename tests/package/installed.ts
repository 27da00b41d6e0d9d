import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../helpers/engine";

/** Newest modification time of the TypeScript sources under a folder. */
function newestSource(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
        else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
    return newest;
}

/** `npm pack` ships `dist/`: build it when it is missing or older than the sources. */
function ensureBuilt(): void {
    const entry = path.join(PROJECT_ROOT, "dist", "provider", "index.js");
    if (fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= newestSource(path.join(PROJECT_ROOT, "provider"))) return;
    try {
        execFileSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", PROJECT_ROOT], { stdio: "pipe", encoding: "utf8" });
    } catch (err) {
        const output = err as { stdout?: string; stderr?: string };
        throw new Error(`npm pack needs dist/, and the build failed:\n${output.stdout ?? ""}${output.stderr ?? ""}`);
    }
}

/**
 * A Pulumi program directory with `pulumi-docr` installed from its packed tarball, as a user gets
 * it. Its dependencies are linked from this repository's node_modules (no network).
 */
export function installPackedPackage(): string {
    ensureBuilt();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-installed-"));
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const tarball = execFileSync(npm, ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], { cwd: PROJECT_ROOT, encoding: "utf8" })
        .trim()
        .split("\n")
        .pop()!;
    const modules = path.join(work, "app", "node_modules");
    fs.mkdirSync(path.join(modules, "pulumi-docr"), { recursive: true });
    execFileSync("tar", ["-xzf", path.join(work, tarball), "-C", path.join(modules, "pulumi-docr"), "--strip-components=1"]);
    for (const name of fs.readdirSync(path.join(PROJECT_ROOT, "node_modules"))) {
        if (name.startsWith(".") || name === "pulumi-docr") continue;
        fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules", name), path.join(modules, name));
    }
    return path.join(work, "app");
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
];
// Each id resolves once its registration (with the serialized provider) reached the mock monitor.
Promise.all(resources.map((r) => new Promise((done) => r.id.apply(done)))).then(() => process.stdout.write(JSON.stringify(captured)));
`;
    fs.writeFileSync(path.join(appDir, "program.js"), program);
    return JSON.parse(execFileSync(process.execPath, ["program.js"], { cwd: appDir, encoding: "utf8" }));
}
