import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/db";
import { exportJobProgress } from "@/lib/exports/export-job-progress";
import { startExportNow } from "@/lib/exports/start-export-now";
import { jobs, QUEUES, stopJobs } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";
import { createAdmin } from "@/test/factories";

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

const pendingJobs = async () => Number((await db().$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM pgboss.job WHERE name = $1 AND state < 'completed'`, QUEUES.exportNightly.name))[0]?.count);

describe("starting an export from the console", () => {
  it("queues the nightly job with an audit event; a second start watches the same job; viewers and reviewers are refused", async () => {
    await jobs();
    for (const role of ["viewer", "reviewer"] as const) {
      const actor = await createAdmin({ db: pgPool(), role });
      await expect(startExportNow({ actor })).rejects.toMatchObject({ code: "forbidden" });
    }
    expect(await pendingJobs()).toBe(0);

    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const first = await startExportNow({ actor: admin });
    expect(first.started).toBe(true);
    const audit = await db().auditEvent.findMany({ where: { actorId: admin.id } });
    expect(audit.map(({ action, targetType, targetId }) => ({ action, targetType, targetId }))).toEqual([{ action: "export_start", targetType: "export", targetId: first.jobId }]);

    const other = await createAdmin({ db: pgPool(), role: "admin" });
    expect(await startExportNow({ actor: other })).toEqual({ jobId: first.jobId, started: false });
    expect(await db().auditEvent.count({ where: { actorId: other.id } })).toBe(0);
    expect(await pendingJobs()).toBe(1);

    // No worker here: the job waits, and its progress says so.
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    expect(await exportJobProgress({ actor: viewer, jobId: first.jobId })).toEqual({ state: "waiting", run: null, message: null });
    await expect(exportJobProgress({ actor: viewer, jobId: randomUUID() })).rejects.toBeInstanceOf(AppError);
    await expect(exportJobProgress({ actor: viewer, jobId: "not-a-uuid" })).rejects.toMatchObject({ code: "not_found" });
  });
});
