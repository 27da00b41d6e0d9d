/**
 * A TypeScript program as `pulumi new typescript` sets it up (its tsconfig: strict, no skipLibCheck,
 * no esModuleInterop) type-checks against the packed package, with only its own dependencies
 * installed. zod's declarations do not compile there (zod/v4/locales needs esModuleInterop), so
 * no public declaration may name a zod type.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { npmInstall, PINNED, PULUMI_NEW_TSCONFIG } from "../../harness/package";

/** Every public export a program is likely to touch, with the types it should see. */
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as docr from "pulumi-docr";

const registry = new docr.Registry("app", { name: "acme", region: "fra1", subscriptionTierSlug: "basic" });
const plan = new docr.Subscription("plan", { tierSlug: "basic" });
const creds = new docr.RegistryCredentials("ci", { registryName: registry.name, readWrite: true, expirySeconds: 3600 });
new docr.RetentionPolicy("keep", { registryName: registry.name, keepLast: 5, runEvery: "24h" });
const gc = new docr.GarbageCollection("gc", { registryName: registry.name, triggers: { week: "2025-W07" } });
new docr.ClusterRegistryIntegration("pull", { clusterIds: ["bd5f5959-5e1e-4205-a714-a914373942af"], registryNames: [registry.name] });

export const server: pulumi.Output<string> = registry.serverUrl;
export const storage: pulumi.Output<number | undefined> = registry.storageUsageBytes;
export const price: pulumi.Output<number | undefined> = plan.monthlyPriceInCents;
export const dockerConfig: pulumi.Output<string> = creds.dockerConfigJson;
export const freed: pulumi.Output<number> = gc.freedBytes;

const connection: docr.Connection = { apiUrl: "http://127.0.0.1:8080" };
export const region: pulumi.Output<string> = docr.getRegistryOutput({ name: registry.name }, connection).region;
export const tags = docr.getRepositoryTagsOutput({ registryName: registry.name, repository: "api" }).tags.apply((t) => t.map((x) => x.tag));

async function inventory(): Promise<number> {
    const options: docr.GetRegistryOptionsResult = await docr.getRegistryOptions(connection);
    const outs: docr.SubscriptionOutputs = await docr.getSubscription();
    try {
        await docr.getRegistry({ name: "gone" });
    } catch (err) {
        if (docr.errorKind(err) !== "not_found" && !(err instanceof docr.NotFoundError)) throw err;
    }
    const client = new docr.DocrClient({ token: "t", apiUrl: "http://127.0.0.1:8080", maxAttempts: 2 });
    const found: docr.ApiRegistry[] = await client.listRegistries();
    const all: docr.RepositoryTag[] = await docr.collect(client.listTags("acme", "api"));
    return options.availableRegions.length + found.length + all.length + (outs.includedRepositories ?? 0);
}
export const count = pulumi.output(inventory());
`;

interface Tsc {
    status: number | null;
    output: string;
}

function tsc(dir: string): Tsc {
    const bin = path.join(dir, "node_modules", "typescript", "bin", "tsc");
    const res = spawnSync(process.execPath, [bin, "--noEmit", "--pretty", "false", "-p", "tsconfig.json"], {
        cwd: dir,
        encoding: "utf8",
    });
    return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** Relative module specifiers of a declaration file, resolved to the files they name. */
function declarationImports(file: string): { files: string[]; packages: string[] } {
    const text = fs.readFileSync(file, "utf8");
    const files: string[] = [];
    const packages: string[] = [];
    for (const match of text.matchAll(/(?:from\s+|import\(\s*)["']([^"']+)["']/g)) {
        const spec = match[1];
        if (!spec.startsWith(".")) {
            packages.push(spec);
            continue;
        }
        const base = path.resolve(path.dirname(file), spec);
        const found = [`${base}.d.ts`, path.join(base, "index.d.ts")].find((f) => fs.existsSync(f));
        if (found) files.push(found);
    }
    return { files, packages };
}

describe("the packed package's types, in a `pulumi new typescript` program", function () {
    this.timeout(240_000);
    let dir: string;

    before(function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docr-typecheck-"));
        npmInstall(dir, {
            dependencies: { "@pulumi/pulumi": PINNED.pulumi },
            devDependencies: { typescript: PINNED.typescript, "@types/node": PINNED.typesNode },
        });
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(PULUMI_NEW_TSCONFIG, null, 4));
    });
    after(function () {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("type-checks cleanly (no skipLibCheck, no esModuleInterop)", function () {
        fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
        const result = tsc(dir);
        expect(result.output.trim(), result.output).to.equal("");
        expect(result.status).to.equal(0);
    });

    it("a type error in the program is reported (so the check above can fail)", function () {
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            `${PROGRAM}\nexport const wrong: pulumi.Output<number> = registry.serverUrl;\n`,
        );
        const result = tsc(dir);
        expect(result.status).to.not.equal(0);
        expect(result.output).to.match(/index\.ts\(\d+,\d+\): error TS2322/);
    });

    it("no declaration reachable from the package's types imports zod", function () {
        const root = path.join(dir, "node_modules", "pulumi-docr", "dist", "provider", "index.d.ts");
        const seen = new Set<string>();
        const zod: string[] = [];
        const queue = [root];
        while (queue.length > 0) {
            const file = queue.pop()!;
            if (seen.has(file)) continue;
            seen.add(file);
            const { files, packages } = declarationImports(file);
            if (packages.some((p) => p === "zod" || p.startsWith("zod/"))) zod.push(path.relative(dir, file));
            queue.push(...files);
        }
        expect(seen.size, "the walk follows the package's declarations").to.be.above(10);
        expect(zod).to.deep.equal([]);
    });
});
