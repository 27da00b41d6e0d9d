/**
 * Property bags as the engine sends them: the special values and keys, secret wrapping,
 * `__provider`, URNs and provider serialization. Nothing here talks to a host process.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** A property bag as the engine sends it (plain JSON; may contain UNKNOWN and secret-wrapped values). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON from the wire; tests read it freely
export type Props = Record<string, any>;

/** The string the engine sends for a value that is unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Key under which the engine marks special values (secrets, assets, resource references). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret value: `{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Property under which dynamic resources carry their serialized provider. */
export const PROVIDER_KEY = "__provider";

/** The repository's root. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** A secret-wrapped value, as the engine writes secrets into property bags. */
export interface WrappedSecret {
    [SPECIAL_SIG_KEY]: typeof SECRET_SIG;
    value: unknown;
}

/** Wrap a value as a secret (e.g. to send a secret config value to Configure). */
export function secret<T>(value: T): WrappedSecret {
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** True if `value` is a secret-wrapped value. */
export function isSecret(value: unknown): value is WrappedSecret {
    return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        (value as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG
    );
}

/** Deeply replace every secret-wrapped value by its plain value. Does not mutate its argument. */
export function unwrapSecrets<T>(value: T): T {
    if (isSecret(value)) {
        return unwrapSecrets(value.value) as T;
    }
    if (Array.isArray(value)) {
        return value.map((v: unknown) => unwrapSecrets(v)) as T;
    }
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = unwrapSecrets(v);
        }
        return out as T;
    }
    return value;
}

/** `props` plus `__provider: serialized` (returns a new object). */
export function withProvider(props: Props, serialized: string): Props {
    return { ...props, [PROVIDER_KEY]: serialized };
}

/** `props` without `__provider` (returns a new object), for deep-equality assertions on outputs. */
export function stripProvider(props: Props): Props {
    const { [PROVIDER_KEY]: _ignored, ...rest } = props;
    return rest;
}

/**
 * A URN as the engine builds it for a dynamic resource:
 * `urn("docr:Registry", "main")` -> `urn:pulumi:test::docr::pulumi-nodejs:dynamic/docr:Registry::main`.
 * A `type` that already starts with `pulumi-nodejs:` is used as is.
 */
export function urn(type: string, name: string, opts: { stack?: string; project?: string } = {}): string {
    const fullType = type.startsWith("pulumi-nodejs:") ? type : `pulumi-nodejs:dynamic/${type}`;
    return `urn:pulumi:${opts.stack ?? "test"}::${opts.project ?? "docr"}::${fullType}::${name}`;
}

/**
 * Serialize a provider exactly as `pulumi.dynamic.Resource` does (dynamic/index.js `serializeFunctionMaybeSecret`):
 * `serializeFunction(() => provider, { allowSecrets: true })`, no `isFactoryFunction`. The text
 * exports `handler`; the host runs `requireFromString(text).handler()` to get the provider object.
 * This is the string the engine receives in `__provider`.
 */
export async function serializeProvider(provider: object): Promise<string> {
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    return sf.text;
}
