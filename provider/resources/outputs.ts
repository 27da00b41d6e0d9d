import type * as pulumi from "@pulumi/pulumi";

/**
 * A resource class's output properties, derived from its outputs interface (whose comments they
 * keep): `interface Registry extends OutputProperties<RegistryOutputs> {}` beside the class. An
 * optional output is `Output<T | undefined>`.
 */
export type OutputProperties<O> = { readonly [K in keyof O]-?: pulumi.Output<O[K]> };

/**
 * What a resource registers for each of its outputs before the engine fills them: `undefined`,
 * for every key of the outputs interface (`satisfies OutputPlaceholders<O>` fails on a missing or
 * an unknown key), so every property of {@link OutputProperties} exists on the object.
 */
export type OutputPlaceholders<O> = Readonly<Record<keyof O, undefined>>;
