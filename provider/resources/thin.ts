import type * as pulumi from "@pulumi/pulumi";
import * as implementations from "./implementations";

/**
 * What a resource serializes into state as its `__provider`: a few lines that load the real
 * provider from the installed package (`require("pulumi-docr/dist/...")`) in the host. Serializing
 * a provider class directly inlines its code (9.4 KB for Registry), and the engine sends
 * `__provider` with every call, three times on a read: the thin one (~2 KB) made reads ~0.6 ms
 * faster through the host (bench/engine-overhead.ts).
 */
export class ThinProvider implements pulumi.dynamic.ResourceProvider {
    private implementation: pulumi.dynamic.ResourceProvider | undefined;

    constructor(private readonly kind: implementations.ProviderKind) {}

    private target(): pulumi.dynamic.ResourceProvider {
        return (this.implementation ??= implementations.createProvider(this.kind));
    }

    // Plain delegation, not async wrappers: every byte here travels with every engine call.
    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        return this.target().configure?.(req) ?? Promise.resolve();
    }

    check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult> {
        return this.target().check?.(olds, news) ?? Promise.resolve({ inputs: news });
    }

    diff(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
        return this.target().diff?.(id, olds, news) ?? Promise.resolve({});
    }

    create(inputs: unknown): Promise<pulumi.dynamic.CreateResult> {
        return this.target().create(inputs);
    }

    read(id: string, props?: unknown): Promise<pulumi.dynamic.ReadResult> {
        return this.target().read?.(id, props) ?? Promise.resolve({ id, props });
    }

    update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult> {
        return this.target().update?.(id, olds, news) ?? Promise.resolve({});
    }

    delete(id: string, props: unknown): Promise<void> {
        return this.target().delete?.(id, props) ?? Promise.resolve();
    }
}
