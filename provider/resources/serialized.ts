import type * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "./kind";

/** What `require("pulumi-docr/provider")` is: the module every `__provider` in state loads. */
export interface ProviderEntry {
    attach(target: HostProvider, kind: ProviderKind, req: pulumi.dynamic.ConfigureRequest): Promise<void>;
}

/**
 * The object the host deserializes from `__provider` and keeps for the process: `configure`
 * replaces its methods with the implementation's; `loadError` is why it could not.
 */
export interface HostProvider extends pulumi.dynamic.ResourceProvider {
    loadError?: unknown;
}

const made = new Map<ProviderKind, HostProvider>();

/**
 * What a resource serializes into state as its `__provider`, and the only code of this package that
 * is ever serialized: the resource kind and two short functions. The host calls `configure` once,
 * on this very object, when it first deserializes it and before any other method; `configure`
 * loads the implementation by package name (resolved from the program's directory) and puts its
 * methods on the object, so every later call goes straight to the implementation, and the host
 * always runs the installed version. Until then (or when loading failed) every method fails with
 * the reason. About 0.9 KB however the package is installed.
 *
 * Pulumi re-parses this code with TypeScript 3.8 when the program has no `typescript` of its own
 * (JavaScript programs, `npm ci --omit=dev`): ES2019 syntax only (no `??`, no `?.`, no class
 * fields). `pulumi-docr/provider` and its `attach` are a state contract: see docs/CONTRACTS.md.
 *
 * One object per kind, so Pulumi serializes each kind once per program, not once per resource.
 */
export function serializedProvider(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
    let provider = made.get(kind);
    if (!provider) {
        provider = hostProvider(kind);
        made.set(kind, provider);
    }
    return provider;
}

// Comments stay out of the function bodies below: their text is stored in state for every resource.
function hostProvider(kind: ProviderKind): HostProvider {
    const notLoaded = function (this: HostProvider): Promise<never> {
        return Promise.reject(
            this.loadError ||
                new Error(
                    "pulumi-docr/provider was not loaded: the dynamic-provider host did not call configure (@pulumi/pulumi >= 3.139 does)",
                ),
        );
    };
    return {
        configure: function (this: HostProvider, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
            try {
                const entry: ProviderEntry = require("pulumi-docr/provider");
                return entry.attach(this, kind, req);
            } catch (e) {
                this.loadError = e;
                throw e;
            }
        },
        check: notLoaded,
        diff: notLoaded,
        create: notLoaded,
        read: notLoaded,
        update: notLoaded,
        delete: notLoaded,
    };
}
