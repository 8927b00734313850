import { PedigreeError } from "../errors/pedigree-error.js";

export class ModelNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Model "${key}" not found.`, { field, details: { entity: "Model" } });
  }
}

export class ModelVersionNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Model version "${key}" not found.`, { field, details: { entity: "ModelVersion" } });
  }
}

export class ModelAliasNotFoundError extends PedigreeError {
  constructor(modelName: string, alias: string, field: string) {
    super("NOT_FOUND", `Model "${modelName}" has no alias "${alias}".`, { field, details: { entity: "ModelAlias" } });
  }
}
