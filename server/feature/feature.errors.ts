import { PedigreeError } from "../errors/pedigree-error.js";

export class FeatureSetNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Feature set "${key}" not found.`, { field, details: { entity: "FeatureSet" } });
  }
}

export class FeatureNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Feature "${key}" not found.`, { field, details: { entity: "Feature" } });
  }
}
