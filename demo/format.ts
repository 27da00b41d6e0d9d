/**
 * Output in the spirit of `pulumi preview` / `pulumi up`. Secrets are printed as `[secret]`:
 * secret-wrapped values, outputs named in `additionalSecretOutputs`, and docker configs always.
 */
import { PROVIDER_KEY, UNKNOWN, isSecret } from "../harness/engine";
import type { Step } from "./step";

const SYMBOL: Record<Step["op"], string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };
const PAST: Record<Step["op"], string> = {
    create: "created",
    update: "updated",
    replace: "replaced",
    delete: "deleted",
    same: "unchanged",
};
/** Never printed, whatever the resource says about them. */
const ALWAYS_SECRET = new Set(["dockerConfigJson", "token", "auth", "password"]);

/** `pulumi-nodejs:dynamic/docr:Registry` -> `docr:Registry`. */
export function shortType(type: string): string {
    return type.replace(/^pulumi-nodejs:dynamic\//, "");
}

export function describeValue(value: unknown, secret: boolean): string {
    if (secret || isSecret(value)) return "[secret]";
    if (value === UNKNOWN) return "[unknown]";
    if (value === undefined) return "(none)";
    if (typeof value === "string") return value;
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `__provider` and the provider's own bookkeeping inputs (`__docrUrn`): not the user's, not shown. */
export function isInternalKey(key: string): boolean {
    return key === PROVIDER_KEY || key.startsWith("__");
}

export function describeInputs(inputs: Record<string, unknown>, secretKeys: string[]): string {
    return Object.entries(inputs)
        .filter(([k]) => !isInternalKey(k))
        .map(([k, v]) => `${k}: ${describeValue(v, secretKeys.includes(k) || ALWAYS_SECRET.has(k))}`)
        .join(", ");
}

/** Prints to a sink (stdout by default); every line the demo prints goes through here. */
export class Printer {
    constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

    /** A printer that keeps its lines until `flush()` (for stacks deployed in parallel). */
    static buffered(): Printer & { flush(to: Printer): void } {
        const lines: string[] = [];
        const printer = new Printer((l) => lines.push(l)) as Printer & { flush(to: Printer): void };
        printer.flush = (to) => {
            for (const l of lines.splice(0)) to.line(l);
        };
        return printer;
    }

    line(text: string): void {
        this.write(text);
    }

    private stepLine(symbol: string, verb: string, step: Step, detail: string): void {
        const head = `    ${symbol.padEnd(2)} ${verb.padEnd(9)} ${step.type.padEnd(25)} ${step.name.padEnd(13)}`;
        this.write(detail ? `${head} ${detail}` : head.trimEnd());
    }

    /** A planned step (preview); unchanged resources are listed too, as `pulumi preview` counts them. */
    planned(step: Step): void {
        this.stepLine(SYMBOL[step.op], step.op === "same" ? "same" : step.op, step, step.detail);
    }

    /** Runs one step, then prints it with its duration, or its error. */
    async timed<T>(step: Step, action: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
        const started = Date.now();
        try {
            const result = await action();
            const seconds = ((Date.now() - started) / 1000).toFixed(2);
            const extra = describe ? describe(result) : "";
            const detail = [step.detail, extra].filter((s) => s !== "").join("; ");
            this.stepLine(SYMBOL[step.op], PAST[step.op], step, `${detail}${detail ? " " : ""}(${seconds}s)`);
            return result;
        } catch (err) {
            this.stepLine("**", `${step.op} failed`, step, err instanceof Error ? err.message : String(err));
            throw err;
        }
    }

    /** Stack outputs as the engine holds them: secrets masked, unknowns shown as such. */
    outputs(outputs: Record<string, unknown>, title: string): void {
        const entries = Object.entries(outputs);
        if (entries.length === 0) return;
        this.write(title);
        for (const [k, v] of entries)
            this.write(`      ${k}: ${describeValue(v, ALWAYS_SECRET.has(k) || /DockerConfigJson$/.test(k))}`);
    }

    summary(steps: Step[]): void {
        const counts = new Map<string, number>();
        for (const s of steps) counts.set(s.op, (counts.get(s.op) ?? 0) + 1);
        const order: Step["op"][] = ["create", "update", "replace", "delete", "same"];
        const parts = order
            .filter((op) => counts.has(op))
            .map((op) => `${SYMBOL[op].trim() || "="} ${counts.get(op)} ${op === "same" ? "unchanged" : op}`);
        this.write(`  Resources: ${parts.join(", ") || "none"}`);
    }
}
