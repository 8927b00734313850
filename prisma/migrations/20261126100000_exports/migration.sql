-- Compliance exports (issue 5): audit-log exports (CSV/JSONL + manifest) and model compliance
-- reports, written by the export worker; files live on disk under <exportDir>/<id>/ until expires_at.

-- CreateEnum
CREATE TYPE "ExportKind" AS ENUM ('AUDIT_LOG', 'COMPLIANCE_REPORT');
CREATE TYPE "ExportStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "compliance_export" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "ExportKind" NOT NULL,
    "formats" TEXT[],
    "filter" JSONB NOT NULL DEFAULT '{}',
    "status" "ExportStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "requested_by" TEXT NOT NULL,
    "requested_by_user_id" UUID,
    "files" JSONB NOT NULL DEFAULT '[]',
    "manifest" JSONB,
    "error" TEXT,
    "job_record_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "files_deleted_at" TIMESTAMPTZ(3),
    CONSTRAINT "compliance_export_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "compliance_export_progress_check" CHECK ("progress" BETWEEN 0 AND 100)
);

-- CreateIndex
CREATE INDEX "compliance_export_created_at_idx" ON "compliance_export"("created_at");
CREATE INDEX "compliance_export_expires_at_idx" ON "compliance_export"("expires_at");
