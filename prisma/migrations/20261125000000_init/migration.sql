-- Pedigree initial schema: written to match prisma/schema.prisma as `prisma migrate diff` would
-- (same type, index and constraint names), because the Prisma CLI's schema engine is not available
-- offline. server/db/schema-roundtrip.int.test.ts proves the two agree.

-- CreateEnum
CREATE TYPE "DatasetFormat" AS ENUM ('PARQUET', 'DELTA', 'ICEBERG', 'CSV', 'JSON', 'AVRO', 'OTHER');
CREATE TYPE "RunStatus" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'ABORTED');
CREATE TYPE "InputRole" AS ENUM ('TRAIN', 'VALIDATION', 'TEST', 'OTHER');
CREATE TYPE "NodeType" AS ENUM ('DATASET_VERSION', 'FEATURE', 'CODE_COMMIT', 'RUN', 'MODEL_VERSION', 'DEPLOYMENT');
CREATE TYPE "EdgeKind" AS ENUM ('CONSUMED', 'PRODUCED', 'SOURCE_OF', 'USED', 'BUILT_FROM', 'SERVES', 'PARENT_OF');
CREATE TYPE "AlertKind" AS ENUM ('DATA_DRIFT', 'PREDICTION_DRIFT', 'LATENCY', 'ERROR_RATE', 'ACCURACY');
CREATE TYPE "AlertStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'RESOLVED');
CREATE TYPE "Role" AS ENUM ('VIEWER', 'EDITOR', 'DEPLOYER', 'AUDITOR', 'ADMIN');
CREATE TYPE "JobStatus" AS ENUM ('WAITING', 'ACTIVE', 'COMPLETED', 'FAILED', 'DELAYED');

-- CreateTable
CREATE TABLE "namespace" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "namespace_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "dataset" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "namespace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dataset_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "dataset_version" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "dataset_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "uri" TEXT NOT NULL,
    "format" "DatasetFormat" NOT NULL,
    "digest" TEXT NOT NULL,
    "schema_fields" JSONB NOT NULL DEFAULT '[]',
    "row_count" BIGINT,
    "size_bytes" BIGINT,
    "snapshot_ref" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dataset_version_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "feature_set" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "namespace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "entity_keys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feature_set_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "feature" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "feature_set_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "dtype" TEXT NOT NULL,
    "description" TEXT,
    "transformation_ref" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feature_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "code_commit" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "namespace_id" UUID NOT NULL,
    "repository" TEXT NOT NULL,
    "sha" TEXT NOT NULL,
    "branch" TEXT,
    "author" TEXT,
    "message" TEXT,
    "committed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "code_commit_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "job" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "namespace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "job_type" TEXT,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "job_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "run" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "job_id" UUID NOT NULL,
    "external_id" TEXT,
    "parent_run_id" UUID,
    "commit_id" UUID,
    "status" "RunStatus" NOT NULL DEFAULT 'PENDING',
    "hyperparameters" JSONB NOT NULL DEFAULT '{}',
    "latest_metrics" JSONB NOT NULL DEFAULT '{}',
    "error_message" TEXT,
    "nominal_time" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "run_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "metric_point" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "metric_point_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "model" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "namespace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "model_version" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "model_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "artifact_uri" TEXT NOT NULL,
    "artifact_sha256" TEXT NOT NULL,
    "signature" JSONB NOT NULL DEFAULT '{}',
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "baseline_stats" JSONB,
    "description" TEXT,
    "source_run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_version_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "model_alias" (
    "model_id" UUID NOT NULL,
    "alias" TEXT NOT NULL,
    "model_version_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_alias_pkey" PRIMARY KEY ("model_id","alias")
);

CREATE TABLE "deployment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "namespace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "deployment_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "deployment_revision" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "deployment_id" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "traffic_split" JSONB NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "deployment_revision_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "alert_rule" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "deployment_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "drift_report" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "deployment_id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "feature_scores" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "drift_report_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "alert" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "rule_id" UUID NOT NULL,
    "deployment_id" UUID NOT NULL,
    "drift_report_id" UUID,
    "status" "AlertStatus" NOT NULL DEFAULT 'OPEN',
    "severity" TEXT NOT NULL DEFAULT 'warning',
    "message" TEXT NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "token_id" UUID,
    "role" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "namespace_id" UUID,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,
    "client_address" TEXT,
    "prev_hash" TEXT,
    "hash" TEXT,
    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "user_account" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "display_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),
    CONSTRAINT "user_account_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "api_token" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "role_binding" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "namespace_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "role_binding_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "job_record" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "queue" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "external_id" TEXT,
    "status" "JobStatus" NOT NULL DEFAULT 'WAITING',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "result" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "job_record_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "lineage_edge" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "upstream_type" "NodeType" NOT NULL,
    "upstream_id" UUID NOT NULL,
    "downstream_type" "NodeType" NOT NULL,
    "downstream_id" UUID NOT NULL,
    "kind" "EdgeKind" NOT NULL,
    "role" "InputRole",
    "properties" JSONB NOT NULL DEFAULT '{}',
    "valid_from" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "valid_to" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lineage_edge_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "graph_outbox" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "projected_at" TIMESTAMPTZ(3),
    CONSTRAINT "graph_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "namespace_name_key" ON "namespace"("name");
CREATE UNIQUE INDEX "dataset_namespace_id_name_key" ON "dataset"("namespace_id", "name");
CREATE UNIQUE INDEX "dataset_version_dataset_id_digest_key" ON "dataset_version"("dataset_id", "digest");
CREATE UNIQUE INDEX "dataset_version_dataset_id_version_key" ON "dataset_version"("dataset_id", "version");
CREATE UNIQUE INDEX "feature_set_namespace_id_name_key" ON "feature_set"("namespace_id", "name");
CREATE UNIQUE INDEX "feature_feature_set_id_name_key" ON "feature"("feature_set_id", "name");
CREATE UNIQUE INDEX "code_commit_namespace_id_repository_sha_key" ON "code_commit"("namespace_id", "repository", "sha");
CREATE UNIQUE INDEX "job_namespace_id_name_key" ON "job"("namespace_id", "name");
CREATE UNIQUE INDEX "run_external_id_key" ON "run"("external_id");
CREATE INDEX "run_job_id_created_at_idx" ON "run"("job_id", "created_at");
CREATE INDEX "run_parent_run_id_idx" ON "run"("parent_run_id");
CREATE INDEX "metric_point_run_id_key_step_idx" ON "metric_point"("run_id", "key", "step");
CREATE UNIQUE INDEX "model_namespace_id_name_key" ON "model"("namespace_id", "name");
CREATE UNIQUE INDEX "model_version_model_id_version_key" ON "model_version"("model_id", "version");
CREATE UNIQUE INDEX "model_version_model_id_artifact_sha256_key" ON "model_version"("model_id", "artifact_sha256");
CREATE INDEX "model_version_source_run_id_idx" ON "model_version"("source_run_id");
CREATE UNIQUE INDEX "deployment_namespace_id_name_key" ON "deployment"("namespace_id", "name");
CREATE UNIQUE INDEX "deployment_revision_deployment_id_revision_key" ON "deployment_revision"("deployment_id", "revision");
CREATE UNIQUE INDEX "alert_rule_deployment_id_name_key" ON "alert_rule"("deployment_id", "name");
CREATE INDEX "drift_report_deployment_id_window_end_idx" ON "drift_report"("deployment_id", "window_end");
CREATE INDEX "alert_deployment_id_raised_at_idx" ON "alert"("deployment_id", "raised_at");
CREATE INDEX "audit_event_target_type_target_id_idx" ON "audit_event"("target_type", "target_id");
CREATE INDEX "audit_event_occurred_at_idx" ON "audit_event"("occurred_at");
CREATE UNIQUE INDEX "user_account_email_key" ON "user_account"("email");
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");
-- NULLS NOT DISTINCT: a user holds a global (namespace NULL) role once, not once per insert.
CREATE UNIQUE INDEX "role_binding_user_id_role_namespace_id_key" ON "role_binding"("user_id", "role", "namespace_id") NULLS NOT DISTINCT;
CREATE UNIQUE INDEX "job_record_external_id_key" ON "job_record"("external_id");
CREATE INDEX "job_record_queue_status_idx" ON "job_record"("queue", "status");
CREATE INDEX "lineage_edge_upstream_id_idx" ON "lineage_edge"("upstream_id");
CREATE INDEX "lineage_edge_downstream_id_idx" ON "lineage_edge"("downstream_id");
CREATE INDEX "graph_outbox_projected_at_id_idx" ON "graph_outbox"("projected_at", "id");

-- AddForeignKey
ALTER TABLE "dataset" ADD CONSTRAINT "dataset_namespace_id_fkey" FOREIGN KEY ("namespace_id") REFERENCES "namespace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "dataset_version" ADD CONSTRAINT "dataset_version_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "feature_set" ADD CONSTRAINT "feature_set_namespace_id_fkey" FOREIGN KEY ("namespace_id") REFERENCES "namespace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "feature" ADD CONSTRAINT "feature_feature_set_id_fkey" FOREIGN KEY ("feature_set_id") REFERENCES "feature_set"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "code_commit" ADD CONSTRAINT "code_commit_namespace_id_fkey" FOREIGN KEY ("namespace_id") REFERENCES "namespace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "job" ADD CONSTRAINT "job_namespace_id_fkey" FOREIGN KEY ("namespace_id") REFERENCES "namespace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "run" ADD CONSTRAINT "run_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "job"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "run" ADD CONSTRAINT "run_parent_run_id_fkey" FOREIGN KEY ("parent_run_id") REFERENCES "run"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "run" ADD CONSTRAINT "run_commit_id_fkey" FOREIGN KEY ("commit_id") REFERENCES "code_commit"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "metric_point" ADD CONSTRAINT "metric_point_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "model" ADD CONSTRAINT "model_namespace_id_fkey" FOREIGN KEY ("namespace_id") REFERENCES "namespace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "model_version" ADD CONSTRAINT "model_version_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "model_version" ADD CONSTRAINT "model_version_source_run_id_fkey" FOREIGN KEY ("source_run_id") REFERENCES "run"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "model_alias" ADD CONSTRAINT "model_alias_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "model_alias" ADD CONSTRAINT "model_alias_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_namespace_id_fkey" FOREIGN KEY ("namespace_id") REFERENCES "namespace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "deployment_revision" ADD CONSTRAINT "deployment_revision_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "drift_report" ADD CONSTRAINT "drift_report_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "alert" ADD CONSTRAINT "alert_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rule"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "alert" ADD CONSTRAINT "alert_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "alert" ADD CONSTRAINT "alert_drift_report_id_fkey" FOREIGN KEY ("drift_report_id") REFERENCES "drift_report"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "role_binding" ADD CONSTRAINT "role_binding_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "role_binding" ADD CONSTRAINT "role_binding_namespace_id_fkey" FOREIGN KEY ("namespace_id") REFERENCES "namespace"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Only one current (validTo IS NULL) edge per (upstream, downstream, kind, role): Prisma cannot
-- declare a partial unique index, so it lives here only (NULLS NOT DISTINCT needs PostgreSQL 15+).
CREATE UNIQUE INDEX "lineage_edge_current_key" ON "lineage_edge"("upstream_id", "downstream_id", "kind", "role") NULLS NOT DISTINCT WHERE "valid_to" IS NULL;
