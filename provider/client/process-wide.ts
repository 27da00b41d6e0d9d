/**
 * A value shared by the whole process, created on first use: what every copy of this package in a
 * process must share, keyed by `connectionKey` (the API counts requests per token, not per copy;
 * a refresh shares one registry listing whichever copy asks).
 *
 * It lives on `globalThis` under `Symbol.for("pulumi-docr.<store>")`, not in a module variable: a
 * program can load two copies of the package (two versions, or a `file:` link beside an install).
 */
export function processWide<K, V>(store: string, key: K, create: () => V): V {
    // Typed by convention: every copy of the package stores the same type under a store's name.
    const holder: { [store: symbol]: Map<K, V> | undefined } = globalThis;
    const entries = (holder[Symbol.for(`pulumi-docr.${store}`)] ??= new Map<K, V>());
    let value = entries.get(key);
    if (value === undefined) {
        value = create();
        entries.set(key, value);
    }
    return value;
}
