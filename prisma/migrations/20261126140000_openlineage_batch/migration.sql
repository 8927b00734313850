-- OpenLineage batch ingestion (issue 7): raw events are stored as sent (json; they are read whole,
-- never queried inside), and input versions are looked up by time and by snapshot reference.
ALTER TABLE "openlineage_event" ALTER COLUMN "payload" TYPE JSON USING "payload"::json;

-- CreateIndex
CREATE INDEX "dataset_version_dataset_id_created_at_idx" ON "dataset_version"("dataset_id", "created_at");
CREATE INDEX "dataset_version_dataset_id_snapshot_ref_idx" ON "dataset_version"("dataset_id", "snapshot_ref");

-- Other identifiers of a dataset (OpenLineage `symlinks` facet).
CREATE TABLE "dataset_symlink" (
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "dataset_id" UUID NOT NULL,
    "type" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dataset_symlink_pkey" PRIMARY KEY ("namespace", "name")
);

-- CreateIndex
CREATE INDEX "dataset_symlink_dataset_id_idx" ON "dataset_symlink"("dataset_id");

-- AddForeignKey
ALTER TABLE "dataset_symlink" ADD CONSTRAINT "dataset_symlink_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
