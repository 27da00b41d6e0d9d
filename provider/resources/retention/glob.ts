/**
 * Repository-name globs, in a few lines rather than a dependency: `*` and `?` stay within one
 * path segment (`web/*` matches `web/app`, not `web/app/v2`), `**` crosses segments, everything
 * else is literal. The regular expression is built per call: nothing is kept at module scope,
 * because the dynamic provider that uses this is serialized into state.
 */
export function globToRegExp(glob: string): RegExp {
    let source = "";
    for (let i = 0; i < glob.length; i++) {
        const c = glob.charAt(i);
        if (c === "*" && glob.charAt(i + 1) === "*") {
            source += ".*";
            i += 1;
        } else if (c === "*") {
            source += "[^/]*";
        } else if (c === "?") {
            source += "[^/]";
        } else {
            source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
        }
    }
    return new RegExp(`^${source}$`);
}

/** True when `name` matches at least one glob. */
export function matchesAnyGlob(name: string, globs: readonly string[]): boolean {
    return globs.some((glob) => globToRegExp(glob).test(name));
}
