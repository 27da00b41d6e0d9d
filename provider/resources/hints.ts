import type * as pulumi from "@pulumi/pulumi";
import { hinted } from "../shared/stack-config";

/**
 * `provider` with the config-key hint added to its token and configuration errors (the client's
 * messages name only its options and the environment; a resource's token is stack config).
 */
export function withConfigHints<I, O>(
    provider: pulumi.dynamic.ResourceProvider<I, O>,
): pulumi.dynamic.ResourceProvider<I, O> {
    return {
        configure: wrap(provider, provider.configure),
        check: wrap(provider, provider.check),
        diff: wrap(provider, provider.diff),
        create: (inputs) => hinted(() => provider.create(inputs)),
        read: wrap(provider, provider.read),
        update: wrap(provider, provider.update),
        delete: wrap(provider, provider.delete),
    };
}

function wrap<A extends unknown[], R>(
    self: object,
    method: ((...args: A) => Promise<R>) | undefined,
): ((...args: A) => Promise<R>) | undefined {
    return method === undefined ? undefined : (...args: A) => hinted(() => method.apply(self, args));
}
