import type * as pulumi from "@pulumi/pulumi";
import { callWithConfigHint } from "../shared/stack-config";

/**
 * `provider` with the config-key hint added to its token and configuration errors (the client's
 * messages name only its options and the environment; a resource's token is stack config).
 */
export function providerWithConfigHints<I, O>(
    provider: pulumi.dynamic.ResourceProvider<I, O>,
): pulumi.dynamic.ResourceProvider<I, O> {
    return {
        configure: wrap(provider, provider.configure),
        check: wrap(provider, provider.check),
        diff: wrap(provider, provider.diff),
        create: (inputs) => callWithConfigHint(() => provider.create(inputs)),
        read: wrap(provider, provider.read),
        update: wrap(provider, provider.update),
        delete: wrap(provider, provider.delete),
    };
}

function wrap<A extends unknown[], R>(
    self: object,
    method: ((...args: A) => Promise<R>) | undefined,
): ((...args: A) => Promise<R>) | undefined {
    return method === undefined ? undefined : (...args: A) => callWithConfigHint(() => method.apply(self, args));
}
