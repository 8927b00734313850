-- OpenLineage ingestion (issue 7): the raw events (deduplicated by the hash of their canonical
-- JSON) and the current facets of jobs, runs, datasets and dataset versions.

-- CreateTable
CREATE TABLE "openlineage_event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "event_type" TEXT,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "namespace_id" UUID NOT NULL,
    "run_id" UUID,
    "job_id" UUID,
    "dataset_id" UUID,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "openlineage_event_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "openlineage_event_kind_check" CHECK ("kind" IN ('RUN', 'JOB', 'DATASET'))
);

-- CreateTable
CREATE TABLE "openlineage_facet" (
    "node_kind" TEXT NOT NULL,
    "node_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "facet" JSONB NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "openlineage_facet_pkey" PRIMARY KEY ("node_kind", "node_id", "name")
);

-- CreateIndex
CREATE UNIQUE INDEX "openlineage_event_event_hash_key" ON "openlineage_event"("event_hash");
CREATE INDEX "openlineage_event_run_id_event_time_idx" ON "openlineage_event"("run_id", "event_time");
CREATE INDEX "openlineage_event_job_id_event_time_idx" ON "openlineage_event"("job_id", "event_time");
CREATE INDEX "openlineage_event_dataset_id_event_time_idx" ON "openlineage_event"("dataset_id", "event_time");
