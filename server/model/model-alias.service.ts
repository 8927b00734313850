import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import { ModelAliasNotFoundError, ModelNotFoundError, ModelVersionNotFoundError } from "./model.errors.js";
import type { ModelVersionRecord, ModelVersionRepository } from "./model-version.repository.js";
import type { ModelRecord, ModelRepository } from "./model.repository.js";

/** What an alias pointed at, as audit events record it. */
function aliasSnapshot(alias: string, version: ModelVersionRecord | null) {
  return version ? { alias, modelVersionId: version.id, version: version.version } : null;
}

/** Moves and removes a model's aliases (`champion`, `challenger`…); each alias points at one version. */
export class ModelAliasService {
  constructor(
    private readonly db: Database,
    private readonly models: ModelRepository,
    private readonly versions: ModelVersionRepository,
    private readonly recorder: ChangeRecorder,
  ) {}

  /** Points `alias` of the version's model at that version (moving it away from any other version). */
  set(meta: RequestMeta, modelVersionId: string, shownAs: string, alias: string) {
    return runInTransaction(this.db, async (tx) => {
      const modelVersion = await this.versions.findById(tx, modelVersionId);
      if (!modelVersion) throw new ModelVersionNotFoundError(shownAs, "input.modelVersionId");
      // Alias moves of one model take turns, so each records the `before` the previous one left.
      await this.models.lock(tx, modelVersion.modelId);
      const model = await this.models.findById(tx, modelVersion.modelId);
      if (!model) throw new ModelNotFoundError(modelVersion.modelId, "input.modelVersionId");
      const { previous, changed } = await this.move(tx, meta, model, modelVersion, alias);
      return { model, modelVersion, previousModelVersion: previous, changed };
    });
  }

  /**
   * Moves `alias` to `version` in the caller's transaction (which must hold the model's lock) and records `model_alias.set`;
   * nothing is written when the alias already points there.
   */
  async move(tx: Transaction, meta: RequestMeta, model: ModelRecord, version: ModelVersionRecord, alias: string) {
    const current = await this.models.findAlias(tx, model.id, alias);
    if (current?.modelVersionId === version.id) return { previous: version, changed: false };
    const previous = current ? await this.versions.findById(tx, current.modelVersionId) : null;
    await this.models.setAlias(tx, model.id, alias, version.id);
    await this.recorder.record(tx, meta, {
      action: "model_alias.set",
      target: { kind: "Model", id: model.id, namespaceId: model.namespaceId },
      before: aliasSnapshot(alias, previous),
      after: aliasSnapshot(alias, version),
    });
    return { previous, changed: true };
  }

  /** Removes `alias` from the model; NOT_FOUND when the model has no such alias. */
  remove(meta: RequestMeta, modelId: string, shownAs: string, alias: string) {
    return runInTransaction(this.db, async (tx) => {
      await this.models.lock(tx, modelId);
      const model = await this.models.findById(tx, modelId);
      if (!model) throw new ModelNotFoundError(shownAs, "input.modelId");
      const current = await this.models.findAlias(tx, modelId, alias);
      if (!current) throw new ModelAliasNotFoundError(model.name, alias, "input.alias");
      const previous = await this.versions.findById(tx, current.modelVersionId);
      await this.models.removeAlias(tx, modelId, alias);
      await this.recorder.record(tx, meta, {
        action: "model_alias.removed",
        target: { kind: "Model", id: model.id, namespaceId: model.namespaceId },
        before: aliasSnapshot(alias, previous),
      });
      return model;
    });
  }
}
