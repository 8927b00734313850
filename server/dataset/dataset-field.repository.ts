import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";

export interface DatasetFieldRecord {
  id: string;
  datasetVersionId: string;
  name: string;
  dataType: string | null;
  createdAt: Date;
}

export interface NewDatasetField {
  datasetVersionId: string;
  name: string;
  dataType: string | null;
}

/** A current DERIVES edge between two fields, as stored. */
export interface StoredDerivation {
  upstreamId: string;
  downstreamId: string;
  properties: unknown;
}

export class DatasetFieldRepository {
  constructor(private readonly db: Database) {}

  /**
   * Creates the fields that do not exist yet (a field that does is left as it is) and returns every
   * field asked for. Rows go in sorted by version and name, so that two transactions creating
   * overlapping fields wait for each other in the same order and cannot deadlock.
   */
  async ensure(tx: Transaction, fields: NewDatasetField[]): Promise<DatasetFieldRecord[]> {
    if (fields.length === 0) return [];
    const sorted = [...fields].sort((a, b) => compare(a.datasetVersionId, b.datasetVersionId) || compare(a.name, b.name));
    await tx.datasetField.createMany({ data: sorted, skipDuplicates: true });
    const namesByVersion = new Map<string, string[]>();
    for (const field of fields) {
      namesByVersion.set(field.datasetVersionId, [...(namesByVersion.get(field.datasetVersionId) ?? []), field.name]);
    }
    return tx.datasetField.findMany({
      where: { OR: [...namesByVersion].map(([datasetVersionId, names]) => ({ datasetVersionId, name: { in: names } })) },
    });
  }

  /**
   * Locks the version's row until the transaction ends so that column lineage into its fields is
   * written one call at a time (and a repeat sees what the previous call wrote). NO KEY UPDATE
   * leaves foreign-key checks of other transactions (which take KEY SHARE) unblocked.
   */
  async lockForLineage(tx: Transaction, datasetVersionId: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM dataset_version WHERE id = ${datasetVersionId}::uuid FOR NO KEY UPDATE`;
  }

  /** Current DERIVES edges into the given fields, read in the caller's transaction. */
  currentDerivationsInto(tx: Transaction, fieldIds: readonly string[]): Promise<StoredDerivation[]> {
    if (fieldIds.length === 0) return Promise.resolve([]);
    return tx.lineageEdge.findMany({
      where: { downstreamId: { in: [...fieldIds] }, kind: "DERIVES", validTo: null },
      select: { upstreamId: true, downstreamId: true, properties: true },
    });
  }

  findByIds(ids: readonly string[]): Promise<DatasetFieldRecord[]> {
    return this.db.prisma.datasetField.findMany({ where: { id: { in: [...ids] } } });
  }

  /** The fields of each version, by name (the caller orders them as the schema does). */
  findByVersionIds(datasetVersionIds: readonly string[]): Promise<DatasetFieldRecord[]> {
    return this.db.prisma.datasetField.findMany({
      where: { datasetVersionId: { in: [...datasetVersionIds] } },
      orderBy: [{ datasetVersionId: "asc" }, { name: "asc" }],
    });
  }
}

// Code-point order, the same in every locale and in both transactions.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
