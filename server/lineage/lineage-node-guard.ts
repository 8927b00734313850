import type { Transaction } from "../db/transaction.js";
import { EntityNotFoundError } from "../errors/common-errors.js";
import type { LineageNodeType } from "./lineage-edge.js";
import type { LineageNodeRepository } from "./lineage-node.repository.js";

const ENTITY_NAME: Record<LineageNodeType, string> = {
  DATASET_VERSION: "Dataset version",
  DATASET_FIELD: "Dataset field",
  FEATURE: "Feature",
  CODE_COMMIT: "Code commit",
  RUN: "Run",
  MODEL_VERSION: "Model version",
  DEPLOYMENT: "Deployment",
};

/** How errors name a lineage node type ("Dataset version"). */
export function lineageEntityName(type: LineageNodeType): string {
  return ENTITY_NAME[type];
}

export interface NodeReference {
  type: LineageNodeType;
  /** Row key (already decoded from the global id). */
  id: string;
  /** The client's id, quoted in the error. */
  shownAs: string;
  /** Input path, e.g. `input.inputs[2].datasetVersionId`. */
  field: string;
}

/**
 * Lets a family check that the other ends of its edges exist without importing another family's
 * repository (and without import cycles between families).
 */
export class LineageNodeGuard {
  constructor(private readonly nodes: LineageNodeRepository) {}

  async requireAll(tx: Transaction, references: NodeReference[]): Promise<void> {
    const byType = new Map<LineageNodeType, NodeReference[]>();
    for (const reference of references) {
      byType.set(reference.type, [...(byType.get(reference.type) ?? []), reference]);
    }
    for (const [type, list] of byType) {
      const found = await this.nodes.findExisting(
        tx,
        type,
        list.map((reference) => reference.id),
      );
      const missing = list.find((reference) => !found.has(reference.id));
      if (missing) throw new EntityNotFoundError(ENTITY_NAME[type], missing.shownAs, missing.field);
    }
  }
}
