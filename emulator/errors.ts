/** An API error the router turns into `{id, message, request_id}` with the given status. */
export class ApiError extends Error {
    /** HTTP status code. */
    readonly status: number;
    /** Short error identifier, e.g. `not_found`. */
    readonly id: string;
    /** Extra response headers (e.g. `Retry-After`). */
    readonly headers: Record<string, string>;

    constructor(status: number, id: string, message: string, headers: Record<string, string> = {}) {
        super(message);
        this.message = message;
        this.status = status;
        this.id = id;
        this.headers = headers;
    }
}

const IDS: Record<number, string> = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "request_entity_too_large",
    422: "unprocessable_entity",
    429: "too_many_requests",
    500: "server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
};

/** The error id the API uses for a status (`error` for statuses it does not name). */
export function errorIdFor(status: number): string {
    return IDS[status] ?? "error";
}

/** 400 `bad_request`. */
export const badRequest = (message: string): ApiError => new ApiError(400, "bad_request", message);
/** 404 `not_found`, with the reference's wording. */
export const notFound = (message = "The resource you requested could not be found."): ApiError =>
    new ApiError(404, "not_found", message);
/** 409 `conflict`. */
export const conflict = (message: string): ApiError => new ApiError(409, "conflict", message);
/** 412 `precondition_failed`. */
export const preconditionFailed = (message: string): ApiError => new ApiError(412, "precondition_failed", message);
/** 422 `unprocessable_entity`. */
export const unprocessable = (message: string): ApiError => new ApiError(422, "unprocessable_entity", message);
