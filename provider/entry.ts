/**
 * `pulumi-docr/provider`: the module that every `__provider` in state loads in the host (see
 * resources/serialized.ts). Its name and `providerFor` are a state contract: stacks written by
 * this version require them for as long as they exist, so later versions keep both.
 */
import type * as pulumi from "@pulumi/pulumi";
import { createProvider, type ProviderKind } from "./resources/implementations";
import type { CompleteProvider } from "./resources/serialized";

const providers = new Map<ProviderKind, CompleteProvider>();

/** The host's provider for one kind of resource, made once per host process. */
export function providerFor(kind: ProviderKind): CompleteProvider {
    let provider = providers.get(kind);
    if (!provider) {
        provider = complete(createProvider(kind));
        providers.set(kind, provider);
    }
    return provider;
}

/** Fills the methods a provider leaves out with what the host would do without them. */
function complete(p: pulumi.dynamic.ResourceProvider): CompleteProvider {
    return {
        configure: (req) => (p.configure ? p.configure(req) : Promise.resolve()),
        check: (olds, news) => (p.check ? p.check(olds, news) : Promise.resolve({ inputs: news })),
        diff: (id, olds, news) => (p.diff ? p.diff(id, olds, news) : Promise.resolve({})),
        create: (inputs) => p.create(inputs),
        read: (id, props) => (p.read ? p.read(id, props) : Promise.resolve({ id, props })),
        update: (id, olds, news) => (p.update ? p.update(id, olds, news) : Promise.resolve({})),
        delete: (id, props) => (p.delete ? p.delete(id, props) : Promise.resolve()),
    };
}
