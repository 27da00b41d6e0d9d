/**
 * The gRPC side: a ResourceProvider client for a started host, the request/response conversions of
 * each method, and the mapping of gRPC errors to {@link ProviderHostError}.
 */
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { type ProviderHost, ProviderHostError } from "./host";
import { isSecret, type Props } from "./props";

import * as statusproto from "@pulumi/pulumi/proto/status_pb";

/** The RPCs of a {@link ProviderHost}. */
export type HostCalls = Pick<ProviderHost, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">;

/** A client of one host: its calls, and `close()` (later calls reject; never throws). */
export interface HostConnection {
    readonly calls: HostCalls;
    close(): void;
}

const struct = (props: Props | undefined) => Struct.fromJavaScript(props ?? {});
const js = (s: Struct | undefined): Props => (s ? s.toJavaScript() : {});

/** Connect to the host listening on `port`; each call gets a deadline of `callTimeoutMs`. */
export function connectHost(port: number, callTimeoutMs: number): HostConnection {
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    let stopped = false;

    function unary<Req, Res>(
        method: string,
        fn: (
            req: Req,
            md: grpc.Metadata,
            opts: Partial<grpc.CallOptions>,
            cb: (err: grpc.ServiceError | null, res: Res) => void,
        ) => grpc.ClientUnaryCall,
        req: Req,
    ): Promise<Res> {
        if (stopped) return Promise.reject(new Error(`provider host stopped; cannot call ${method}`));
        return new Promise<Res>((resolve, reject) => {
            fn(req, new grpc.Metadata(), { deadline: Date.now() + callTimeoutMs }, (err, res) => {
                if (err) reject(toHostError(method, err));
                else resolve(res);
            });
        });
    }

    const calls: HostCalls = {
        async configure(config, opts = {}) {
            const send = opts.send ?? "both";
            const req = new provproto.ConfigureRequest();
            if (send !== "args") {
                const vars = req.getVariablesMap();
                for (const [k, v] of Object.entries(config)) {
                    vars.set(k, isSecret(v) ? String(v.value) : v);
                }
            }
            req.setArgs(struct(send === "variables" ? {} : config));
            req.setAcceptsecrets(true);
            req.setAcceptresources(true);
            await unary("Configure", client.configure.bind(client), req);
        },
        async check(u, olds, news) {
            const req = new provproto.CheckRequest();
            req.setUrn(u);
            req.setOlds(struct(olds));
            req.setNews(struct(news));
            const res = await unary<provproto.CheckRequest, provproto.CheckResponse>(
                "Check",
                client.check.bind(client),
                req,
            );
            return {
                inputs: js(res.getInputs()),
                failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
            };
        },
        async diff(id, u, olds, news) {
            const req = new provproto.DiffRequest();
            req.setId(id);
            req.setUrn(u);
            req.setOlds(struct(olds));
            req.setNews(struct(news));
            const res = await unary<provproto.DiffRequest, provproto.DiffResponse>(
                "Diff",
                client.diff.bind(client),
                req,
            );
            const C = provproto.DiffResponse.DiffChanges;
            const c = res.getChanges();
            return {
                changes: c === C.DIFF_NONE ? "none" : c === C.DIFF_SOME ? "some" : "unknown",
                replaces: res.getReplacesList(),
                deleteBeforeReplace: res.getDeletebeforereplace(),
                diffs: res.getDiffsList(),
            };
        },
        async create(u, props) {
            const req = new provproto.CreateRequest();
            req.setUrn(u);
            req.setProperties(struct(props));
            const res = await unary<provproto.CreateRequest, provproto.CreateResponse>(
                "Create",
                client.create.bind(client),
                req,
            );
            return { id: res.getId(), properties: js(res.getProperties()) };
        },
        async read(id, u, props, inputs) {
            const req = new provproto.ReadRequest();
            req.setId(id);
            req.setUrn(u);
            req.setProperties(struct(props));
            if (inputs) req.setInputs(struct(inputs));
            const res = await unary<provproto.ReadRequest, provproto.ReadResponse>(
                "Read",
                client.read.bind(client),
                req,
            );
            return { id: res.getId(), properties: js(res.getProperties()), inputs: js(res.getInputs()) };
        },
        async update(id, u, olds, news) {
            const req = new provproto.UpdateRequest();
            req.setId(id);
            req.setUrn(u);
            req.setOlds(struct(olds));
            req.setNews(struct(news));
            const res = await unary<provproto.UpdateRequest, provproto.UpdateResponse>(
                "Update",
                client.update.bind(client),
                req,
            );
            return { properties: js(res.getProperties()) };
        },
        async delete(id, u, props) {
            const req = new provproto.DeleteRequest();
            req.setId(id);
            req.setUrn(u);
            req.setProperties(struct(props));
            await unary("Delete", client.delete.bind(client), req);
        },
    };
    return {
        calls,
        close() {
            stopped = true;
            try {
                client.close();
            } catch {
                /* ignore */
            }
        },
    };
}

function toHostError(method: string, err: grpc.ServiceError): ProviderHostError {
    let initFailure: ProviderHostError["initFailure"];
    const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
    if (bin instanceof Buffer) {
        try {
            const status = statusproto.Status.deserializeBinary(bin);
            for (const any of status.getDetailsList()) {
                if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
                    const d = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
                    initFailure = {
                        id: d.getId(),
                        properties: d.getProperties()?.toJavaScript() ?? {},
                        reasons: d.getReasonsList(),
                    };
                }
            }
        } catch {
            /* not a pulumi status */
        }
    }
    // err.details is the status message the server sent; err.message is "<code> <NAME>: <details>".
    return new ProviderHostError(method, err.code, err.details ?? err.message, initFailure);
}
