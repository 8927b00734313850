-- Rollouts (issue 4): model version readiness (only READY versions deploy) and canary rollouts.

-- CreateEnum
CREATE TYPE "ModelVersionStatus" AS ENUM ('PENDING', 'READY', 'FAILED');
CREATE TYPE "RolloutState" AS ENUM ('CANARY', 'PROMOTED', 'ROLLED_BACK', 'ABORTED');

-- AlterTable: versions registered before this migration are PENDING until verifyModelVersion checks them.
ALTER TABLE "model_version" ADD COLUMN "status" "ModelVersionStatus" NOT NULL DEFAULT 'PENDING',
ADD COLUMN "status_reason" TEXT;

-- CreateTable
CREATE TABLE "rollout" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "deployment_id" UUID NOT NULL,
    "state" "RolloutState" NOT NULL DEFAULT 'CANARY',
    "canary_model_version_id" UUID NOT NULL,
    "baseline_model_version_id" UUID,
    "baseline_split" JSONB NOT NULL,
    "canary_percent" DOUBLE PRECISION NOT NULL,
    "window_seconds" INTEGER NOT NULL,
    "max_error_rate" DOUBLE PRECISION NOT NULL,
    "max_p99_ms" DOUBLE PRECISION NOT NULL,
    "min_requests" INTEGER NOT NULL,
    "start_revision" INTEGER NOT NULL,
    "end_revision" INTEGER,
    "reason" TEXT,
    "last_stats" JSONB,
    "last_checked_at" TIMESTAMPTZ(3),
    "check_job_id" UUID,
    "actor" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    CONSTRAINT "rollout_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rollout_deployment_id_started_at_idx" ON "rollout"("deployment_id", "started_at");

-- AddForeignKey
ALTER TABLE "rollout" ADD CONSTRAINT "rollout_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "rollout" ADD CONSTRAINT "rollout_canary_model_version_id_fkey" FOREIGN KEY ("canary_model_version_id") REFERENCES "model_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "rollout" ADD CONSTRAINT "rollout_baseline_model_version_id_fkey" FOREIGN KEY ("baseline_model_version_id") REFERENCES "model_version"("id") ON DELETE SET NULL ON UPDATE CASCADE;
