/**
 * Binding a host to one resource, and a baseline provider for benchmarks.
 */
import * as http from "node:http";
import type * as pulumi from "@pulumi/pulumi";
import type { CheckResult, CreateResult, DiffResult, ProviderHost, ReadResult, UpdateResult } from "./host";
import { PROVIDER_KEY, type Props, withProvider } from "./props";

/** Every call of a {@link ProviderHost} for one resource, with `__provider` added to inputs for you. */
export interface BoundResource {
    readonly urn: string;
    readonly serialized: string;
    /** `news` gets `__provider` (unless it already has one); `olds` too when non-empty. */
    check(olds: Props, news: Props): Promise<CheckResult>;
    /** `olds` are old outputs (carry `__provider` if from create/read); `news` gets `__provider`. */
    diff(id: string, olds: Props, news: Props): Promise<DiffResult>;
    create(props: Props): Promise<CreateResult>;
    read(id: string, props: Props, inputs?: Props): Promise<ReadResult>;
    update(id: string, olds: Props, news: Props): Promise<UpdateResult>;
    delete(id: string, props: Props): Promise<void>;
}

/**
 * Bind a host, a serialized provider and a URN. Every props argument that lacks `__provider` gets
 * this one (pass `__provider` explicitly to simulate state written by an older provider).
 */
export function bindResource(host: ProviderHost, serialized: string, resourceUrn: string): BoundResource {
    const p = (props: Props) => (PROVIDER_KEY in props ? props : withProvider(props, serialized));
    const po = (props: Props) => (Object.keys(props).length === 0 ? props : p(props));
    return {
        urn: resourceUrn,
        serialized,
        check: (olds, news) => host.check(resourceUrn, po(olds), p(news)),
        diff: (id, olds, news) => host.diff(id, resourceUrn, p(olds), p(news)),
        create: (props) => host.create(resourceUrn, p(props)),
        read: (id, props, inputs) => host.read(id, resourceUrn, p(props), inputs && p(inputs)),
        update: (id, olds, news) => host.update(id, resourceUrn, p(olds), p(news)),
        delete: (id, props) => host.delete(id, resourceUrn, p(props)),
    };
}

/**
 * A baseline provider whose `create` makes exactly one HTTP GET to `url` (Node's `http`, no
 * retries) and returns `{ id: "<status>-<n>", outs: { status, body } }`; read/update/delete make no
 * request. Benchmarks compare real providers' request counts and latency against this.
 */
export function trivialHttpProvider(url: string): pulumi.dynamic.ResourceProvider {
    return {
        async create(inputs: Props) {
            const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
                const req = http.get(url, (res) => {
                    let data = "";
                    res.setEncoding("utf8");
                    res.on("data", (c: string) => (data += c));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
                    res.on("error", reject);
                });
                req.on("error", reject);
            });
            return { id: `${status}-${inputs.name ?? "x"}`, outs: { status, body } };
        },
    };
}
