/** A step of the demo engine, shared by the engine that plans it and the printer that shows it. */
export type StepOp = "create" | "update" | "replace" | "delete" | "same";

/** A planned or applied step, for display and for assertions. */
export interface Step {
    op: StepOp;
    urn: string;
    type: string;
    name: string;
    detail: string;
}
