/**
 * The program code that matches an import (Pulumi cannot generate code for dynamic-provider types:
 * `GetSchema is not implemented`), in TypeScript or JavaScript, with what was not imported as
 * comments. `protect: true` keeps what `pulumi import` protected.
 */
import type { Declaration, ImportPlan } from "./entries";

/** A JavaScript identifier for a resource name: `legacy-reg` -> `legacyReg`. */
export function variableName(name: string): string {
    const camel = name.replace(/[-_]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^\w$]/g, "");
    return /^[A-Za-z_$]/.test(camel) ? camel : `_${camel}`;
}

function value(v: Declaration["args"][string]): string {
    if (Array.isArray(v))
        return `[${v.map((x) => (typeof x === "string" ? JSON.stringify(x) : `${variableName(x.ref)}.name`)).join(", ")}]`;
    return JSON.stringify(v);
}

function declaration(d: Declaration): string {
    const args = Object.entries(d.args)
        .map(([k, v]) => `    ${k}: ${value(v)},`)
        .join("\n");
    return `const ${variableName(d.name)} = new ${d.kind}(${JSON.stringify(d.name)}, {\n${args}\n}, { protect: true });`;
}

export function programCode(plan: ImportPlan, js: boolean): string {
    const kinds = [...new Set(plan.declarations.map((d) => d.kind))].sort();
    const lines: string[] = [];
    if (kinds.length > 0) {
        lines.push("// Add to the program (Pulumi cannot generate code for dynamic-provider resources):");
        lines.push(
            js
                ? `const { ${kinds.join(", ")} } = require("pulumi-docr");`
                : `import { ${kinds.join(", ")} } from "pulumi-docr";`,
        );
        lines.push("");
        for (const d of plan.declarations) lines.push(declaration(d));
    }
    if (plan.notes.length > 0) {
        lines.push("");
        lines.push("// Notes (what is not imported, and why):");
        for (const note of plan.notes) lines.push(`// - ${note.subject}: ${note.text}`);
    }
    return lines.join("\n") + "\n";
}
