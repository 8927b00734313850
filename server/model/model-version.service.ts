import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { LineageNodeGuard } from "../lineage/lineage-node-guard.js";
import type { ModelAliasService } from "./model-alias.service.js";
import { ModelVersionNotFoundError } from "./model.errors.js";
import type { ModelService } from "./model.service.js";
import type {
  ModelVersionFilter,
  ModelVersionRecord,
  ModelVersionRepository,
  ScopedModelVersion,
} from "./model-version.repository.js";

export interface RegisterModelVersionCommand {
  namespace: string;
  model: string;
  artifactUri: string;
  artifactSha256: string;
  signature: Record<string, unknown>;
  metrics: Record<string, number>;
  description: string | null;
  /** Row key of the run that produced the artifact, and the client's id for error messages. */
  sourceRun?: { runId: string; shownAs: string } | undefined;
  /** Aliases moved to the new version. */
  aliases: string[];
}

export class ModelVersionService {
  constructor(
    private readonly db: Database,
    private readonly versions: ModelVersionRepository,
    private readonly models: ModelService,
    private readonly aliases: ModelAliasService,
    private readonly guard: LineageNodeGuard,
    private readonly recorder: ChangeRecorder,
  ) {}

  /**
   * Registers an immutable model version. The same model + artifact SHA-256 always yields the
   * same version (returned with `created: false`, aliases untouched); a new artifact gets the next
   * version number. Creates the namespace and model when they are new.
   */
  registerVersion(meta: RequestMeta, command: RegisterModelVersionCommand) {
    return runInTransaction(this.db, async (tx) => {
      const { model } = await this.models.ensure(tx, meta, command.namespace, command.model);
      await this.models.lock(tx, model.id);
      const existing = await this.versions.findBySha256(tx, model.id, command.artifactSha256);
      if (existing) return { model, modelVersion: existing, created: false };
      if (command.sourceRun) {
        await this.guard.requireAll(tx, [
          { type: "RUN", id: command.sourceRun.runId, shownAs: command.sourceRun.shownAs, field: "input.sourceRunId" },
        ]);
      }
      const modelVersion = await this.versions.create(tx, {
        modelId: model.id,
        version: (await this.versions.latestVersionNumber(tx, model.id)) + 1,
        artifactUri: command.artifactUri,
        artifactSha256: command.artifactSha256,
        signature: command.signature,
        metrics: command.metrics,
        description: command.description,
        sourceRunId: command.sourceRun?.runId ?? null,
      });
      await this.recorder.record(tx, meta, {
        action: "model_version.registered",
        target: { kind: "ModelVersion", id: modelVersion.id, namespaceId: model.namespaceId },
        after: modelVersion,
        addEdges: command.sourceRun
          ? [
              {
                upstream: { type: "RUN", id: command.sourceRun.runId },
                downstream: { type: "MODEL_VERSION", id: modelVersion.id },
                kind: "PRODUCED",
              },
            ]
          : [],
      });
      for (const alias of command.aliases) await this.aliases.move(tx, meta, model, modelVersion, alias);
      return { model, modelVersion, created: true };
    });
  }

  update(
    meta: RequestMeta,
    id: string,
    shownAs: string,
    input: { description?: string | null | undefined; metrics?: Record<string, number> | undefined },
  ) {
    return runInTransaction(this.db, async (tx) => {
      const [scoped] = await this.versions.findScopedByIds(tx, [id]);
      if (!scoped) throw new ModelVersionNotFoundError(shownAs, "input.id");
      const { namespaceId, ...before } = scoped;
      const after = await this.versions.update(tx, id, input);
      await this.recorder.record(tx, meta, {
        action: "model_version.updated",
        target: { kind: "ModelVersion", id, namespaceId },
        before,
        after,
      });
      return after;
    });
  }

  /** The versions that exist among `ids`, each with its model's namespace (for other families' checks). */
  findScoped(tx: Transaction, ids: readonly string[]): Promise<ScopedModelVersion[]> {
    return this.versions.findScopedByIds(tx, ids);
  }

  async list(filter: ModelVersionFilter, page: PageRequest, field: "version" | "createdAt", direction: SortDirection) {
    const result = await paginate<ModelVersionRecord>(page, field, direction, (query) => this.versions.list(filter, query));
    return { page: result, count: () => this.versions.count(filter) };
  }
}
