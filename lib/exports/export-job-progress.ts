import "server-only";

import { z } from "zod";

import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { EXPORT_JOB_SQL, type TExportJobRow } from "@/lib/exports/export-sql";
import { exportRunById, type TExportRunRow } from "@/lib/exports/list-export-runs";
import { QUEUES } from "@/lib/jobs";
import { pgPool } from "@/lib/pg";

export type TExportJobProgress = {
  state: "waiting" | "running" | "succeeded" | "failed";
  /** The run this job wrote, once it has started one. */
  run: TExportRunRow | null;
  message: string | null;
};

/**
 * Where an export started from the console stands. The job does not know its run's id; the run
 * it wrote is the first one that started once the job had (runs never overlap: the queue is a
 * singleton).
 */
export const exportJobProgress = async ({ actor, jobId }: { actor: TActor; jobId: string }): Promise<TExportJobProgress> => {
  assertRole(actor, "viewer");
  if (!z.uuid().safeParse(jobId).success) throw new AppError("not_found", { message: "No export job has this id." });
  const job = (await pgPool().query<TExportJobRow>(EXPORT_JOB_SQL, [jobId, QUEUES.exportNightly.name])).rows[0];
  if (!job) throw new AppError("not_found", { message: "No export job has this id." });
  let run: TExportRunRow | null = null;
  if (job.startedOn) {
    const started = await db().exportRun.findFirst({ where: { startedAt: { gte: new Date(job.startedOn.getTime() - 1000) } }, orderBy: [{ startedAt: "asc" }, { id: "asc" }], select: { id: true } });
    run = started ? await exportRunById(started.id) : null;
  }
  const failure = job.output?.message ?? job.output?.value?.message ?? run?.error ?? null;
  if (job.state === "completed") return { state: run?.status === "failed" ? "failed" : "succeeded", run, message: null };
  if (job.state === "failed" || job.state === "cancelled") return { state: "failed", run, message: failure ?? "The export job failed." };
  if (job.state === "active" || job.state === "retry") return { state: "running", run, message: job.state === "retry" ? `A try failed; the worker retries. ${failure ?? ""}`.trim() : null };
  return { state: "waiting", run: null, message: null };
};
