-- Dataset fields: the columns of a dataset version as lineage nodes (DATASET_FIELD), joined by
-- DERIVES edges for column-level lineage.

-- CreateTable
CREATE TABLE "dataset_field" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "dataset_version_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "data_type" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dataset_field_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "dataset_field_dataset_version_id_name_key" ON "dataset_field"("dataset_version_id", "name");

-- AddForeignKey
ALTER TABLE "dataset_field" ADD CONSTRAINT "dataset_field_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Versions registered before this migration get a field per schema entry, as new ones do
-- (the first entry wins where a schema repeats a name).
INSERT INTO "dataset_field" ("dataset_version_id", "name", "data_type", "created_at")
SELECT v."id", f.value->>'name', f.value->>'type', v."created_at"
FROM "dataset_version" v
CROSS JOIN LATERAL jsonb_array_elements(
  CASE WHEN jsonb_typeof(v."schema_fields") = 'array' THEN v."schema_fields" ELSE '[]'::jsonb END
) WITH ORDINALITY AS f(value, position)
WHERE f.value->>'name' IS NOT NULL
ORDER BY v."id", f.position
ON CONFLICT ("dataset_version_id", "name") DO NOTHING;
