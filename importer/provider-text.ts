/**
 * The `__provider` a program's `new Registry(...)` registers: the same object (serialized.ts),
 * serialized the same way as `pulumi.dynamic.Resource` does it, by the `@pulumi/pulumi` that the
 * program resolves (the package's peer). An import file carrying it lets the host's `Check` load
 * the provider, and the first `pulumi up` after the import finds nothing to change in it.
 */
import type { ProviderKind } from "../provider/resources/implementations";
import { serializedProvider } from "../provider/resources/serialized";

interface SerializeClosure {
    serializeFunction(func: () => unknown, args: { allowSecrets: boolean }): Promise<{ text: string }>;
}

const texts = new Map<ProviderKind, Promise<string>>();

/** The text for `kind`, serialized once per process (it takes about a second; `--all` needs it per registry). */
export function providerText(kind: ProviderKind): Promise<string> {
    let text = texts.get(kind);
    if (text === undefined) {
        text = serialize(kind);
        texts.set(kind, text);
    }
    return text;
}

async function serialize(kind: ProviderKind): Promise<string> {
    // The module pulumi.dynamic.Resource loads for this (@pulumi/pulumi/dynamic/index.js).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, as the SDK does
    const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as SerializeClosure;
    const provider = serializedProvider(kind);
    // Written as the SDK writes it (`() => provider`): its text is part of what is serialized.
    const serialized = await closure.serializeFunction(() => provider, { allowSecrets: true });
    return serialized.text;
}
