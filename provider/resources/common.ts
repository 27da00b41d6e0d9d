import type * as pulumi from "@pulumi/pulumi";
import type { DocrClient } from "../client";
import type { Connection } from "../client/connection";
import { clientFor, connectionFromConfig } from "../shared/stack-config";
import { SharingClient } from "./shared-reads";

/** The value the engine sends for inputs that are not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * An input the resource class sets, never the user: the resource's URN, which the dynamic-provider
 * host does not pass to the provider's methods (recovery/journal.ts keys interrupted creates by it).
 */
export const URN_INPUT = "__docrUrn";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/**
 * What every resource's provider shares: the stack's connection, given by `configure`, and one
 * client built from it on first use (so its server clock and retries span the provider's calls).
 * Each provider checks, diffs, creates, reads and deletes; `update` is its own choice (credentials
 * are always replaced). implementations.ts checks `update` against Pulumi's interface.
 */
export abstract class ConfiguredProvider<I, O> implements pulumi.dynamic.ResourceProvider<I, O> {
    protected connection: Connection | undefined;
    private built: DocrClient | undefined;

    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.connection = connectionFromConfig((key) => req.config.get(key));
        this.built = undefined;
        return Promise.resolve();
    }

    /**
     * The client for this stack's connection (a missing token fails here, naming where to set it).
     * Its registry listing and subscription are shared with the process's other calls (shared-reads.ts).
     */
    protected client(): DocrClient {
        return (this.built ??= clientFor(this.connection, SharingClient));
    }

    abstract check(olds: I, news: I): Promise<pulumi.dynamic.CheckResult<I>>;
    abstract diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
    abstract create(inputs: I): Promise<pulumi.dynamic.CreateResult<O>>;
    abstract read(id: string, props?: O): Promise<pulumi.dynamic.ReadResult<O>>;
    abstract delete(id: string, props: O): Promise<void>;
}

/** Outputs must be plain JSON: the engine rejects `undefined`. */
export function plain<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The one meaning of "changed" for every resource's diff: the new value is unknown, or it differs
 * from the old one. An input left out is not compared: it is not managed (the API's value, or the
 * last one set, stands), so removing it from a program never replaces or updates anything.
 */
export function changedKeys(olds: object, news: object, keys: readonly string[]): string[] {
    return keys.filter((key) => {
        const next = field(news, key);
        if (next === undefined) return false;
        if (isUnknown(next)) return true;
        return JSON.stringify(field(olds, key)) !== JSON.stringify(next);
    });
}

/**
 * A read's result. Pulumi types a read's `inputs` as the provider's outputs; what a read reports
 * there are the inputs it found (a part of the outputs), so that is said here, once.
 */
export function readResult<O extends object>(id: string, props: O, inputs: Partial<O>): pulumi.dynamic.ReadResult<O> {
    return { id, props, inputs: inputs as O };
}

/** A field of a resource's state object, by name. */
export function field(state: object, key: string): unknown {
    return Reflect.get(state, key);
}
