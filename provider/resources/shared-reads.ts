/**
 * Reads that the provider calls of one host process share: a refresh of N registries and M
 * credentials asks for the team's registries once, not N + M times (the API allows a token 5,000
 * requests an hour, shared by the whole team).
 *
 * Per API URL and token, for the host process (one `pulumi` command). A read joins the listing in
 * flight, or takes one that arrived less than the freshness window ago
 * (`DOCR_SHARED_READ_WINDOW_MS`, default 5,000 ms; 0: only reads in flight are shared). Every write
 * of this process that changes what the listing shows (a registry created or deleted, the tier
 * set) forgets it, before and after the write: a read after this process's own create sees the
 * registry. A failed read is never kept. Changes made elsewhere show once the window has passed.
 */
import {
    DocrClient,
    envNumber,
    MILLISECONDS,
    type ClientOptions,
    type CreateRegistryArgs,
    type Registry,
    type Subscription,
} from "../client";
import { connectionKey, type Connection } from "../client/connection";
import { processWide } from "../client/process-wide";

/** How long an answer serves later reads unless `DOCR_SHARED_READ_WINDOW_MS` says otherwise. */
export const DEFAULT_SHARED_READ_WINDOW_MS = 5_000;

/** One answer that concurrent and closely following reads share. */
class SharedRead<T> {
    private current: { answer: Promise<T>; arrivedAt?: number } | undefined;

    get(load: () => Promise<T>, windowMs: number): Promise<T> {
        const held = this.current;
        if (held && (held.arrivedAt === undefined || Date.now() - held.arrivedAt < windowMs)) return held.answer;
        const entry: { answer: Promise<T>; arrivedAt?: number } = { answer: load() };
        this.current = entry;
        entry.answer.then(
            () => {
                entry.arrivedAt = Date.now();
            },
            () => {
                // A failed read is not remembered: the next caller asks again.
                if (this.current === entry) this.current = undefined;
            },
        );
        return entry.answer;
    }

    forget(): void {
        this.current = undefined;
    }
}

/** What one (API URL, token) pair shares in this process. */
export class SharedReads {
    readonly registries = new SharedRead<Registry[]>();
    readonly subscription = new SharedRead<Subscription>();

    /** Runs a write; answers read before it ended may not show it, so none survives it. */
    async write<T>(run: () => Promise<T>): Promise<T> {
        this.forget();
        try {
            return await run();
        } finally {
            this.forget();
        }
    }

    forget(): void {
        this.registries.forget();
        this.subscription.forget();
    }
}

/** Shared by every copy of this package in the process (see processWide), per connection. */
export function sharedReadsFor(connection: Connection | undefined): SharedReads {
    return processWide("shared-reads", connectionKey(connection), () => new SharedReads());
}

/** The freshness window, from the environment at call time. */
export function sharedReadWindowMs(): number {
    return envNumber("DOCR_SHARED_READ_WINDOW_MS", MILLISECONDS) ?? DEFAULT_SHARED_READ_WINDOW_MS;
}

/**
 * The client every resource uses: the same calls as {@link DocrClient}, with the team's registry
 * listing and subscription shared as described above, and the writes that change them forgetting
 * them. A subclass rather than a wrapper, so that no write path of the resources can skip it.
 */
export class SharingClient extends DocrClient {
    private readonly shared: SharedReads;
    private readonly windowMs: number;

    constructor(options: ClientOptions) {
        super(options);
        this.shared = sharedReadsFor({ token: options.token, apiUrl: options.apiUrl });
        this.windowMs = sharedReadWindowMs();
    }

    override async listRegistries(): Promise<Registry[]> {
        // A copy per caller: no caller can change what the others see.
        return [...(await this.shared.registries.get(() => super.listRegistries(), this.windowMs))];
    }

    override getSubscription(): Promise<Subscription> {
        return this.shared.subscription.get(() => super.getSubscription(), this.windowMs);
    }

    override createRegistry(args: CreateRegistryArgs): Promise<Registry> {
        return this.shared.write(() => super.createRegistry(args));
    }

    override deleteRegistry(name: string): Promise<void> {
        return this.shared.write(() => super.deleteRegistry(name));
    }

    override updateSubscription(tierSlug: string): Promise<Subscription> {
        return this.shared.write(() => super.updateSubscription(tierSlug));
    }
}
