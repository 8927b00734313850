import { PedigreeError } from "../errors/pedigree-error.js";

export class CodeCommitNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Code commit "${key}" not found.`, { field, details: { entity: "CodeCommit" } });
  }
}
