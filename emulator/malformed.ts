/** A body that is not JSON at all: a cut-off prefix of the real one (never parseable). */
export function truncatedJson(body: unknown): string {
    const full = body === undefined ? '{"id":"server_error"}' : JSON.stringify(body);
    return full.slice(0, Math.max(1, Math.floor(full.length / 2)));
}

/**
 * Valid JSON with one wrong field type: the first leaf (depth first, first array element)
 * changes type, e.g. `registry.name` becomes a number. Schema validators must reject it.
 */
export function wrongTypeBody(body: unknown): unknown {
    if (body === undefined || body === null) return { id: 12345 };
    return corrupt(structuredClone(body));
}

function corrupt(v: unknown): unknown {
    if (typeof v === "string") return 12345;
    if (typeof v === "number") return String(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (v === null) return {};
    if (Array.isArray(v)) {
        if (v.length === 0) return "not-an-array";
        v[0] = corrupt(v[0]);
        return v;
    }
    if (typeof v === "object") {
        const o = v as Record<string, unknown>;
        const first = Object.keys(o).find((k) => o[k] !== undefined);
        if (first === undefined) return "not-an-object";
        o[first] = corrupt(o[first]);
        return o;
    }
    return v;
}
