/**
 * No import cycles anywhere in the tree, type-only imports included: ESLint's `import-x/no-cycle`
 * skips `import type`, and a type shared both ways belongs in a leaf module of its own.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const FOLDERS = [
    "provider",
    "emulator",
    "importer",
    "policy",
    "demo",
    "harness",
    "bench",
    "tools",
    "tests",
    "examples",
];

function sources(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sources(full);
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

function resolveRelative(from: string, spec: string): string | undefined {
    const base = path.resolve(path.dirname(from), spec);
    return [`${base}.ts`, path.join(base, "index.ts"), base].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

/** The repository's modules a source imports or re-exports, `import type` included. */
export function importGraph(files: string[]): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of files) {
        const text = fs.readFileSync(file, "utf8");
        const specs = [
            ...text.matchAll(/\bfrom\s+["'](\.[^"']*)["']|\b(?:import|require)\s*\(\s*["'](\.[^"']*)["']\s*\)/g),
        ];
        const deps = specs.map((m) => resolveRelative(file, m[1] ?? m[2])).filter((d): d is string => d !== undefined);
        graph.set(file, [...new Set(deps)]);
    }
    return graph;
}

/** The strongly connected components of more than one module (Tarjan), each as its sorted members. */
export function cycles(graph: Map<string, string[]>): string[][] {
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const found: string[][] = [];
    const visit = (v: string): void => {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        if (low.get(v) === index.get(v)) {
            const component: string[] = [];
            let w: string;
            do {
                w = stack.pop()!;
                onStack.delete(w);
                component.push(w);
            } while (w !== v);
            if (component.length > 1) found.push(component.sort());
        }
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    return found;
}

describe("import cycles", function () {
    const files = FOLDERS.flatMap((f) => sources(path.join(ROOT, f)));

    it("finds a cycle of type-only imports (so the check below can fail)", function () {
        const dir = fs.mkdtempSync(path.join(ROOT, "node_modules", ".cycle-"));
        try {
            fs.writeFileSync(path.join(dir, "a.ts"), 'import type { B } from "./b";\nexport type A = B[];\n');
            fs.writeFileSync(path.join(dir, "b.ts"), 'import type { A } from "./a";\nexport type B = { a?: A };\n');
            fs.writeFileSync(path.join(dir, "c.ts"), 'import type { A } from "./a";\nexport type C = A;\n');
            const found = cycles(importGraph(sources(dir)));
            expect(found.map((c) => c.map((f) => path.basename(f)))).to.deep.equal([["a.ts", "b.ts"]]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("none in the repository's sources", function () {
        expect(files.length).to.be.above(100);
        const found = cycles(importGraph(files)).map((c) => c.map((f) => path.relative(ROOT, f)).join(" -> "));
        expect(found).to.deep.equal([]);
    });
});
