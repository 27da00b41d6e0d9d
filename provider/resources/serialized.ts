import type * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "./implementations";

/** A resource's provider with every method present (the entry fills the host's defaults). */
export type CompleteProvider = Required<pulumi.dynamic.ResourceProvider>;

/** What `require("pulumi-docr/provider")` is: the module every `__provider` in state loads. */
export interface ProviderEntry {
    providerFor(kind: ProviderKind): CompleteProvider;
}

/**
 * What a resource serializes into state as its `__provider`, and the only code of this package that
 * is ever serialized: the resource kind and a few lines that load the implementation by package
 * name in the dynamic-provider host (which resolves it from the program's directory). Nothing else
 * is captured, so `__provider` is about 2.3 KB however the package is installed, and the host
 * always runs the installed version of the implementation.
 *
 * Pulumi re-parses this code with TypeScript 3.8 when the program has no `typescript` of its own
 * (JavaScript programs, `npm ci --omit=dev`): ES2019 syntax only (no `??=`, no class fields).
 * `pulumi-docr/provider` is a state contract: see docs/CONTRACTS.md.
 */
export function serializedProvider(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
    // One-letter names on purpose: this text is stored for every resource and sent with every call.
    function p(): CompleteProvider {
        const e: ProviderEntry = require("pulumi-docr/provider");
        return e.providerFor(kind);
    }
    return {
        configure: function (r) { return p().configure(r); },
        check: function (o, n) { return p().check(o, n); },
        diff: function (i, o, n) { return p().diff(i, o, n); },
        create: function (n) { return p().create(n); },
        read: function (i, s) { return p().read(i, s); },
        update: function (i, o, n) { return p().update(i, o, n); },
        delete: function (i, s) { return p().delete(i, s); },
    };
}
