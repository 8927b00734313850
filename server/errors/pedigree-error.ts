import { GraphQLError } from "graphql";
import type { ErrorCode } from "./error-code.js";

export interface PedigreeErrorOptions {
  /** Input path of the offending value, e.g. `input.uri`. */
  field?: string;
  /** Extra machine-readable facts, copied into `extensions`. */
  details?: Record<string, unknown>;
}

/**
 * Base of every error Pedigree raises on purpose. Its message and extensions reach the client
 * unchanged; anything that is not a PedigreeError is masked by `formatError`.
 */
export class PedigreeError extends GraphQLError {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: PedigreeErrorOptions = {}) {
    super(message, {
      extensions: {
        code,
        ...(options.field ? { field: options.field } : {}),
        ...options.details,
      },
    });
    this.name = new.target.name;
    this.code = code;
    this.field = options.field;
  }
}
