import type { Transaction } from "../db/transaction.js";
import type { LineageNodeType } from "./lineage-edge.js";

// Fixed table per node type; never built from input.
const TABLE_OF: Record<LineageNodeType, string> = {
  DATASET_VERSION: "dataset_version",
  DATASET_FIELD: "dataset_field",
  FEATURE: "feature",
  CODE_COMMIT: "code_commit",
  RUN: "run",
  MODEL_VERSION: "model_version",
  DEPLOYMENT: "deployment",
};

/** Answers "do these lineage endpoints exist?" for any node type, in one statement. */
export class LineageNodeRepository {
  async findExisting(tx: Transaction, type: LineageNodeType, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `SELECT id::text AS id FROM "${TABLE_OF[type]}" WHERE id = ANY($1::uuid[])`,
      [...new Set(ids)],
    );
    return new Set(rows.map((row) => row.id));
  }
}
