/**
 * `pulumi-docr/provider`: the module that every `__provider` in state loads in the host (see
 * resources/serialized.ts). Its name and `attach` are a state contract: stacks written by this
 * version call them for as long as they exist, so later versions keep both.
 */
import type * as pulumi from "@pulumi/pulumi";
import { watchEngine } from "./host/engine-watch";
import { createProvider } from "./resources/implementations";
import type { ProviderKind } from "./resources/kind";
import type { HostProvider } from "./resources/serialized";

/**
 * Called by `configure` of a deserialized `__provider` (`target`, the object the host keeps for
 * that `__provider` text): puts a fresh implementation's methods on it, then configures the
 * implementation. It runs before `configure` returns, so no call the host makes next can find the
 * placeholders. A method the implementation lacks is cleared, so the host does what it does
 * without one. Only a dynamic-provider host calls it: the host exits once its engine is gone
 * (host/engine-watch.ts).
 */
export function attach(target: HostProvider, kind: ProviderKind, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    watchEngine();
    const impl = createProvider(kind);
    target.check = impl.check && impl.check.bind(impl);
    target.diff = impl.diff && impl.diff.bind(impl);
    target.create = impl.create.bind(impl);
    target.read = impl.read && impl.read.bind(impl);
    target.update = impl.update && impl.update.bind(impl);
    target.delete = impl.delete && impl.delete.bind(impl);
    target.configure = impl.configure && impl.configure.bind(impl);
    return impl.configure ? impl.configure(req) : Promise.resolve();
}
