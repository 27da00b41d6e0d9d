import * as pulumi from "@pulumi/pulumi";
import { URN_INPUT } from "./common";
import { type ProviderKind, resourceType } from "./kind";
import { serializedProvider } from "./serialized";

/**
 * The base of every resource class of this package, whose constructor runs in the user's program:
 * a dynamic resource of type `pulumi-nodejs:dynamic/docr:<kind>` whose `__provider` is
 * `serializedProvider(kind)` (a state contract: docs/CONTRACTS.md). `props` are the outputs'
 * placeholders (`OutputPlaceholders`) under the arguments.
 */
export abstract class DocrResource extends pulumi.dynamic.Resource {
    protected constructor(
        kind: ProviderKind,
        name: string,
        props: pulumi.Inputs,
        opts: pulumi.CustomResourceOptions | undefined,
    ) {
        super(serializedProvider(kind), name, props, opts, "docr", kind);
    }
}

/** The resource's own URN as an input (`URN_INPUT`), for a provider that keys a journal by it. */
export function urnInput(
    kind: ProviderKind,
    name: string,
    opts: pulumi.CustomResourceOptions | undefined,
): { [URN_INPUT]: pulumi.Output<string> } {
    return { [URN_INPUT]: pulumi.createUrn(name, resourceType(kind), opts?.parent) };
}
