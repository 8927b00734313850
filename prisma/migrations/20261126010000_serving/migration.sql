-- Serving: sampled prediction log and per-bucket serving statistics (request/error counts and a
-- latency histogram per deployment × model version). No foreign keys: both tables are append-heavy
-- telemetry written in batches off the request path, and deployments and model versions are never deleted.

-- CreateTable
CREATE TABLE "prediction_log" (
    "id" UUID NOT NULL,
    "deployment_id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "inputs" JSONB NOT NULL,
    "outputs" JSONB NOT NULL,
    "latency_ms" DOUBLE PRECISION NOT NULL,
    "error" TEXT,
    CONSTRAINT "prediction_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "serving_stats_bucket" (
    "deployment_id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latency_counts" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    CONSTRAINT "serving_stats_bucket_pkey" PRIMARY KEY ("deployment_id","model_version_id","bucket_start")
);

-- CreateIndex
CREATE INDEX "prediction_log_deployment_id_requested_at_idx" ON "prediction_log"("deployment_id", "requested_at");

-- CreateIndex
CREATE INDEX "prediction_log_deployment_id_model_version_id_requested_at_idx" ON "prediction_log"("deployment_id", "model_version_id", "requested_at");

-- CreateIndex
CREATE INDEX "serving_stats_bucket_deployment_id_bucket_start_idx" ON "serving_stats_bucket"("deployment_id", "bucket_start");
