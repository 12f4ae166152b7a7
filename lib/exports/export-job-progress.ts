import "server-only";

import { z } from "zod";

import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { exportRunById, type TExportRunRow } from "@/lib/exports/list-export-runs";
import { QUEUES } from "@/lib/jobs";
import { pgPool } from "@/lib/pg";

export type TExportJobProgress = {
  state: "waiting" | "running" | "succeeded" | "failed";
  /** The run this job wrote, once it has started one. */
  run: TExportRunRow | null;
  message: string | null;
};

type TJobRow = { state: string; startedOn: Date | null; completedOn: Date | null; output: { message?: string; value?: { message?: string } } | null };

// pg-boss moves finished jobs to its archive after a while; either table answers.
const JOB_SQL = `SELECT state::text AS state, started_on AS "startedOn", completed_on AS "completedOn", output FROM pgboss.job WHERE id = $1::uuid AND name = $2
  UNION ALL SELECT state::text, started_on, completed_on, output FROM pgboss.archive WHERE id = $1::uuid AND name = $2 LIMIT 1`;

/**
 * Where an export started from the console stands. The job does not know its run's id; the run
 * it wrote is the first one that started once the job had (runs never overlap: the queue is a
 * singleton).
 */
export const exportJobProgress = async ({ actor, jobId }: { actor: TActor; jobId: string }): Promise<TExportJobProgress> => {
  assertRole(actor, "viewer");
  if (!z.uuid().safeParse(jobId).success) throw new AppError("not_found", { message: "No export job has this id." });
  const job = (await pgPool().query<TJobRow>(JOB_SQL, [jobId, QUEUES.exportNightly.name])).rows[0];
  if (!job) throw new AppError("not_found", { message: "No export job has this id." });
  let run: TExportRunRow | null = null;
  if (job.startedOn) {
    const { rows } = await pgPool().query<{ id: string }>(
      `SELECT id FROM "ExportRun" WHERE "startedAt" >= $1::timestamptz - interval '1 second' ORDER BY "startedAt", id LIMIT 1`,
      [job.startedOn],
    );
    run = rows[0] ? await exportRunById(rows[0].id) : null;
  }
  const failure = job.output?.message ?? job.output?.value?.message ?? run?.error ?? null;
  if (job.state === "completed") return { state: run?.status === "failed" ? "failed" : "succeeded", run, message: null };
  if (job.state === "failed" || job.state === "cancelled") return { state: "failed", run, message: failure ?? "The export job failed." };
  if (job.state === "active" || job.state === "retry") return { state: "running", run, message: job.state === "retry" ? `A try failed; the worker retries. ${failure ?? ""}`.trim() : null };
  return { state: "waiting", run: null, message: null };
};
