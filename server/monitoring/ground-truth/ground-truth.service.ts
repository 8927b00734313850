import type { ChangeRecorder } from "../../audit/change-recorder.js";
import type { Database } from "../../db/database.js";
import { runInTransaction } from "../../db/transaction.js";
import { InputInvalidError } from "../../errors/common-errors.js";
import type { RequestMeta } from "../../graphql/context.js";
import { PredictionNotFoundError } from "../monitoring.errors.js";
import { GroundTruthRepository, type NewGroundTruth } from "./ground-truth.repository.js";
import { modelTaskOf } from "./model-task.js";

/** Most outcomes one recordGroundTruth call takes. */
export const MAX_GROUND_TRUTH_ENTRIES = 1_000;
const MAX_LABEL_LENGTH = 256;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface GroundTruthEntry {
  /** The predictionId a predict call returned (the prediction log's row id). */
  predictionId: string;
  label: string | null;
  value: number | null;
}

export interface RecordedGroundTruth {
  recorded: number;
  /** Entries that corrected an outcome recorded before. */
  updated: number;
}

/**
 * Ground truth of served predictions: the observed class (classifiers) or value (regressors),
 * checked against the model version that made each prediction. All or nothing: one unknown id or
 * bad value and nothing is written.
 */
export class GroundTruthService {
  private readonly repository: GroundTruthRepository;

  constructor(
    private readonly db: Database,
    private readonly recorder: ChangeRecorder,
  ) {
    this.repository = new GroundTruthRepository(db);
  }

  async record(meta: RequestMeta, entries: readonly GroundTruthEntry[]): Promise<RecordedGroundTruth> {
    checkEntries(entries);
    return runInTransaction(this.db, async (tx) => {
      const logged = await this.repository.predictionsByIds(
        tx,
        entries.map((entry) => entry.predictionId),
      );
      const byId = new Map(logged.map((row) => [row.id, row]));
      const missing = entries.findIndex((entry) => !byId.has(entry.predictionId));
      if (missing >= 0) {
        const count = entries.filter((entry) => !byId.has(entry.predictionId)).length;
        throw new PredictionNotFoundError(`input.entries[${missing}].predictionId`, entries[missing]!.predictionId, count);
      }
      const versionIds = [...new Set(logged.map((row) => row.modelVersionId))];
      const versions = await tx.modelVersion.findMany({
        where: { id: { in: versionIds } },
        select: { id: true, signature: true, metrics: true },
      });
      const taskOf = new Map(versions.map((version) => [version.id, modelTaskOf(version.signature, version.metrics)]));
      const rows: NewGroundTruth[] = entries.map((entry, index) => {
        const prediction = byId.get(entry.predictionId)!;
        const task = taskOf.get(prediction.modelVersionId) ?? { task: "unknown" as const };
        const field = `input.entries[${index}]`;
        if (task.task === "classification") {
          if (entry.label === null)
            throw new InputInvalidError(`${field}.label`, "is required: the prediction was made by a classifier.");
          if (task.classes && !task.classes.includes(entry.label)) {
            throw new InputInvalidError(
              `${field}.label`,
              `must be one of the model's classes (${task.classes.slice(0, 20).join(", ")}); got "${entry.label}".`,
            );
          }
        }
        if (task.task === "regression" && entry.value === null) {
          throw new InputInvalidError(`${field}.value`, "is required: the prediction was made by a regressor.");
        }
        return {
          predictionId: prediction.id,
          deploymentId: prediction.deploymentId,
          modelVersionId: prediction.modelVersionId,
          predictedAt: prediction.requestedAt,
          label: entry.label,
          value: entry.value,
          recordedBy: meta.actor.name,
        };
      });
      const updated = await this.repository.upsertMany(tx, rows);
      // One audit event per deployment the outcomes belong to.
      const byDeployment = new Map<string, string[]>();
      for (const row of rows)
        byDeployment.set(row.deploymentId, [...(byDeployment.get(row.deploymentId) ?? []), row.predictionId]);
      const namespaces = await tx.deployment.findMany({
        where: { id: { in: [...byDeployment.keys()] } },
        select: { id: true, namespaceId: true },
      });
      for (const [deploymentId, predictionIds] of byDeployment) {
        await this.recorder.record(tx, meta, {
          action: "ground_truth.recorded",
          target: {
            kind: "Deployment",
            id: deploymentId,
            namespaceId: namespaces.find((row) => row.id === deploymentId)?.namespaceId,
          },
          after: { count: predictionIds.length, predictionIds: predictionIds.slice(0, 100) },
        });
      }
      return { recorded: rows.length, updated };
    });
  }
}

function checkEntries(entries: readonly GroundTruthEntry[]): void {
  if (entries.length === 0 || entries.length > MAX_GROUND_TRUTH_ENTRIES) {
    throw new InputInvalidError("input.entries", `must hold 1 to ${MAX_GROUND_TRUTH_ENTRIES} entries; got ${entries.length}.`);
  }
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const field = `input.entries[${index}]`;
    if (!UUID.test(entry.predictionId)) {
      throw new InputInvalidError(
        `${field}.predictionId`,
        `must be a predictionId as predict returned it; got "${entry.predictionId.slice(0, 80)}".`,
      );
    }
    if (seen.has(entry.predictionId))
      throw new InputInvalidError(`${field}.predictionId`, "repeats an earlier entry's prediction.");
    seen.add(entry.predictionId);
    if ((entry.label === null) === (entry.value === null)) {
      throw new InputInvalidError(field, "must give exactly one of label (classifiers) and value (regressors).");
    }
    if (entry.label !== null && entry.label.length > MAX_LABEL_LENGTH) {
      throw new InputInvalidError(`${field}.label`, `must be at most ${MAX_LABEL_LENGTH} characters.`);
    }
    if (entry.value !== null && !Number.isFinite(entry.value)) {
      throw new InputInvalidError(`${field}.value`, `must be a finite number; got ${entry.value}.`);
    }
  });
}
