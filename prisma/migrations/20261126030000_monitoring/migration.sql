-- Monitoring: editable alert rules, drift reports with serving and performance figures, alerts that
-- name drifting features and carry lineage, and ground truth for served predictions.

-- AlterTable
ALTER TABLE "alert_rule" ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "drift_report" ADD COLUMN "job_id" TEXT,
ADD COLUMN "sample_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "drifted_features" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "prediction_drift" JSONB,
ADD COLUMN "serving" JSONB,
ADD COLUMN "performance" JSONB;

-- AlterTable
ALTER TABLE "alert" ADD COLUMN "drifting_features" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "details" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "acknowledged_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ground_truth" (
    "prediction_id" UUID NOT NULL,
    "deployment_id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "predicted_at" TIMESTAMPTZ(3) NOT NULL,
    "label" TEXT,
    "value" DOUBLE PRECISION,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ground_truth_pkey" PRIMARY KEY ("prediction_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "drift_report_job_id_model_version_id_key" ON "drift_report"("job_id", "model_version_id");

-- CreateIndex
CREATE INDEX "ground_truth_deployment_id_predicted_at_idx" ON "ground_truth"("deployment_id", "predicted_at");

-- At most one unresolved (OPEN or ACKNOWLEDGED) alert per rule, even under concurrent monitoring
-- jobs; Prisma cannot declare a partial index, so it lives here only.
CREATE UNIQUE INDEX "alert_rule_id_unresolved_key" ON "alert"("rule_id") WHERE "status" <> 'RESOLVED';
