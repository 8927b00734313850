-- Column-level lineage: dataset fields become lineage nodes, joined by DERIVES edges (field ➜ field).
-- New enum values may be added inside the migration's transaction as long as nothing uses them in it.

ALTER TYPE "NodeType" ADD VALUE 'DATASET_FIELD' AFTER 'DATASET_VERSION';
ALTER TYPE "EdgeKind" ADD VALUE 'DERIVES';
