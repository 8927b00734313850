import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { NewLineageEdge } from "../lineage/lineage-edge.js";
import type { LineageNodeGuard } from "../lineage/lineage-node-guard.js";
import type { ModelAliasService } from "./model-alias.service.js";
import { type ArtifactCheck, checkModelArtifact } from "./model-artifact-verifier.js";
import {
  ModelVersionArtifactConflictError,
  ModelVersionNotFoundError,
  ModelVersionSourceRunConflictError,
} from "./model.errors.js";
import type { ModelRecord } from "./model.repository.js";
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

function producedEdge(runId: string, modelVersionId: string): NewLineageEdge {
  return { upstream: { type: "RUN", id: runId }, downstream: { type: "MODEL_VERSION", id: modelVersionId }, kind: "PRODUCED" };
}

export class ModelVersionService {
  constructor(
    private readonly db: Database,
    private readonly versions: ModelVersionRepository,
    private readonly models: ModelService,
    private readonly aliases: ModelAliasService,
    private readonly guard: LineageNodeGuard,
    private readonly recorder: ChangeRecorder,
    private readonly checkArtifact: (uri: string, sha256: string) => Promise<ArtifactCheck> = checkModelArtifact,
  ) {}

  /**
   * Registers an immutable model version. The same model + artifact SHA-256 always yields the
   * same version (returned with `created: false`, aliases untouched); a new artifact gets the next
   * version number. Creates the namespace and model when they are new. A repeat call must agree
   * with the stored version (artifact URI, source run); it may add a source run the version lacked.
   * The artifact is checked first (outside the transaction: it reads the file and loads it): a
   * version whose artifact verifies is READY, any other is PENDING or FAILED with the reason, and
   * a repeat registration records a changed outcome.
   */
  async registerVersion(meta: RequestMeta, command: RegisterModelVersionCommand) {
    const check = await this.checkArtifact(command.artifactUri, command.artifactSha256);
    return runInTransaction(this.db, async (tx) => {
      const { model } = await this.models.ensure(tx, meta, command.namespace, command.model);
      await this.models.lock(tx, model.id);
      const existing = await this.versions.findBySha256(tx, model.id, command.artifactSha256);
      if (existing) {
        const reconciled = await this.reconcile(tx, meta, model, existing, command);
        const modelVersion = await this.recordCheck(tx, meta, model.namespaceId, reconciled, check);
        return { model, modelVersion, created: false };
      }
      if (command.sourceRun) await this.requireRun(tx, command.sourceRun);
      const modelVersion = await this.versions.create(tx, {
        modelId: model.id,
        version: (await this.versions.latestVersionNumber(tx, model.id)) + 1,
        artifactUri: command.artifactUri,
        artifactSha256: command.artifactSha256,
        signature: command.signature,
        metrics: command.metrics,
        description: command.description,
        sourceRunId: command.sourceRun?.runId ?? null,
        status: check.status,
        statusReason: check.reason,
      });
      await this.recorder.record(tx, meta, {
        action: "model_version.registered",
        target: { kind: "ModelVersion", id: modelVersion.id, namespaceId: model.namespaceId },
        after: modelVersion,
        addEdges: command.sourceRun ? [producedEdge(command.sourceRun.runId, modelVersion.id)] : [],
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
      const [scoped] = (await this.versions.lock(tx, id)) ? await this.versions.findScopedByIds(tx, [id]) : [];
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

  /**
   * Checks a version's artifact again (e.g. once a PENDING version's file has arrived) and records
   * the outcome when it changed.
   */
  async verify(meta: RequestMeta, id: string, shownAs: string): Promise<ModelVersionRecord> {
    const [found] = await this.db.prisma.$transaction((tx) => this.versions.findScopedByIds(tx, [id]));
    if (!found) throw new ModelVersionNotFoundError(shownAs, "id");
    const check = await this.checkArtifact(found.artifactUri, found.artifactSha256);
    return runInTransaction(this.db, async (tx) => {
      const [scoped] = (await this.versions.lock(tx, id)) ? await this.versions.findScopedByIds(tx, [id]) : [];
      if (!scoped) throw new ModelVersionNotFoundError(shownAs, "id");
      const { namespaceId, ...current } = scoped;
      return this.recordCheck(tx, meta, namespaceId, current, check);
    });
  }

  /** Stores an artifact check's outcome when it differs from the version's status, with an audit event. */
  private async recordCheck(
    tx: Transaction,
    meta: RequestMeta,
    namespaceId: string,
    version: ModelVersionRecord,
    check: ArtifactCheck,
  ): Promise<ModelVersionRecord> {
    if (version.status === check.status && version.statusReason === check.reason) return version;
    const after = await this.versions.setStatus(tx, version.id, check);
    await this.recorder.record(tx, meta, {
      action: "model_version.status_changed",
      target: { kind: "ModelVersion", id: version.id, namespaceId },
      before: { status: version.status, statusReason: version.statusReason },
      after: { status: after.status, statusReason: after.statusReason },
    });
    return after;
  }

  /**
   * Checks a repeat registration of a stored version against it: another artifact URI or source run
   * is a CONFLICT (a version is immutable), while a source run the version did not have yet is added.
   */
  private async reconcile(
    tx: Transaction,
    meta: RequestMeta,
    model: ModelRecord,
    existing: ModelVersionRecord,
    command: RegisterModelVersionCommand,
  ): Promise<ModelVersionRecord> {
    const shown = `${command.namespace}/${command.model}`;
    if (existing.artifactUri !== command.artifactUri) {
      throw new ModelVersionArtifactConflictError(shown, existing.version, existing.artifactUri, command.artifactUri);
    }
    if (!command.sourceRun || existing.sourceRunId === command.sourceRun.runId) return existing;
    if (existing.sourceRunId) {
      throw new ModelVersionSourceRunConflictError(shown, existing.version, existing.sourceRunId, command.sourceRun.shownAs);
    }
    await this.requireRun(tx, command.sourceRun);
    const after = await this.versions.setSourceRun(tx, existing.id, command.sourceRun.runId);
    await this.recorder.record(tx, meta, {
      action: "model_version.source_run_added",
      target: { kind: "ModelVersion", id: existing.id, namespaceId: model.namespaceId },
      before: existing,
      after,
      addEdges: [producedEdge(command.sourceRun.runId, existing.id)],
    });
    return after;
  }

  private requireRun(tx: Transaction, run: { runId: string; shownAs: string }) {
    return this.guard.requireAll(tx, [{ type: "RUN", id: run.runId, shownAs: run.shownAs, field: "input.sourceRunId" }]);
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
