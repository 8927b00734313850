import { PedigreeError } from "./pedigree-error.js";

/** A value failed validation; `field` is its input path. */
export class InputInvalidError extends PedigreeError {
  constructor(field: string, problem: string) {
    super("BAD_USER_INPUT", `Field "${field}" ${problem}`, { field });
  }
}

/** An entity looked up by id or name does not exist. */
export class EntityNotFoundError extends PedigreeError {
  constructor(entity: string, key: string, field?: string) {
    super("NOT_FOUND", `${entity} "${key}" not found.`, {
      ...(field ? { field } : {}),
      details: { entity },
    });
  }
}

/** A write collides with existing state (a taken name, a concurrent change). */
export class EntityConflictError extends PedigreeError {
  constructor(entity: string, key: string, reason: string) {
    super("CONFLICT", `${entity} "${key}" ${reason}`, { details: { entity } });
  }
}

/** A global id that does not decode, or decodes to another kind of node than the field expects. */
export class NodeIdInvalidError extends PedigreeError {
  constructor(field: string, id: string, expected?: string) {
    const shown = id.length > 64 ? `${id.slice(0, 64)}…` : id;
    super(
      "BAD_USER_INPUT",
      expected
        ? `Field "${field}" must be the id of a ${expected}; got "${shown}".`
        : `Field "${field}" is not a valid Pedigree id; got "${shown}".`,
      { field },
    );
  }
}
