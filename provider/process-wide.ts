/**
 * A value shared by the whole process, created on first use: the rate limiter, compiled response
 * schemas, the axios instance, `check`'s answers for the run.
 *
 * It lives on `globalThis` under `Symbol.for("pulumi-docr.<store>")`, not in a module variable:
 * a dynamic provider's modules may be loaded more than once (inlined by closure serialization and
 * required normally), and module-level state would not be shared, or would be written into state.
 */
export function processWide<K, V>(store: string, key: K, create: () => V): V {
    const holder = globalThis as unknown as Record<symbol, Map<K, V> | undefined>;
    const entries = (holder[Symbol.for(`pulumi-docr.${store}`)] ??= new Map<K, V>());
    let value = entries.get(key);
    if (value === undefined) {
        value = create();
        entries.set(key, value);
    }
    return value;
}
