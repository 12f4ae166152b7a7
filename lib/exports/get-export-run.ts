import "server-only";

import { z } from "zod";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import { exportRunById, type TExportRunRow } from "@/lib/exports/list-export-runs";

const ZExportRunId = z.uuid({ error: "That is not an export run's id." });

/** One export run for its own console page, which the audit log links to; a malformed or unknown id is not_found. */
export const getExportRun = async ({ actor, runId }: { actor: TActor; runId: string }): Promise<TExportRunRow> => {
  assertRole(actor, "viewer");
  if (!ZExportRunId.safeParse(runId).success) throw new AppError("not_found", { message: "There is no such export run." });
  const run = await exportRunById(runId);
  if (!run) throw new AppError("not_found", { message: "There is no such export run." });
  return run;
};
