import { randomBytes } from "node:crypto";

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: tiny, fast and good enough for test determinism (not for secrets).
 * Every seeded decision (fault rates, ids) goes through one of these.
 */
export function mulberry32(seed: number): Rng {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** An unseeded generator, for emulators started without `seed`. */
export function randomRng(): Rng {
    return mulberry32(randomBytes(4).readUInt32LE(0));
}

/** `n` lowercase hex characters drawn from `rng`. */
export function hex(rng: Rng, n: number): string {
    let out = "";
    while (out.length < n)
        out += Math.floor(rng() * 0x100000000)
            .toString(16)
            .padStart(8, "0");
    return out.slice(0, n);
}

/** A version-4-shaped UUID drawn from `rng` (deterministic when `rng` is seeded). */
export function uuid(rng: Rng): string {
    const h = hex(rng, 32);
    const variant = ((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
