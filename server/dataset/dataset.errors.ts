import { PedigreeError } from "../errors/pedigree-error.js";

export class DatasetNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Dataset "${key}" not found.`, { field, details: { entity: "Dataset" } });
  }
}

export class DatasetVersionNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Dataset version "${key}" not found.`, { field, details: { entity: "DatasetVersion" } });
  }
}
