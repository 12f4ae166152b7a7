-- CreateEnum
CREATE TYPE "ExportRunStatus" AS ENUM ('running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "ExportRun" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "cutoff" TIMESTAMPTZ(3) NOT NULL,
    "previousRunId" UUID,
    "previousCutoff" TIMESTAMPTZ(3),
    "format" TEXT NOT NULL,
    "directory" TEXT NOT NULL,
    "status" "ExportRunStatus" NOT NULL DEFAULT 'running',
    "files" JSONB,
    "error" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "acknowledgedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ExportRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExportRun_status_cutoff_idx" ON "ExportRun"("status", "cutoff");

