import { afterAll, describe, expect, it } from "vitest";

import { chainAuditLogs } from "@/lib/audit/chain-audit-log";
import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { metricsRegistry } from "@/lib/metrics/metrics-registry";
import { readMetricsSnapshot } from "@/lib/metrics/read-metrics-snapshot";
import { closePgPool, pgPool } from "@/lib/pg";
import { insertObjection } from "@/test/audit-chain-fixtures";

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
  await closePgPool();
});

const lagOf = async (chain: string) => (await readMetricsSnapshot()).auditChains.find((row) => row.chain === chain);

describe("the chainer's lag in the metrics", () => {
  it("shows rows not yet chained and the oldest one's age, and nothing once they are chained", async () => {
    await chainAuditLogs({ pool: pgPool() });
    expect(await lagOf("ObjectionEvent")).toEqual({ chain: "ObjectionEvent", unchained: 0, oldestSeconds: 0 });

    const objectionId = await insertObjection(pgPool());
    // Written ten minutes ago and never chained: a chainer that is not running.
    await pgPool().query(`INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "createdAt") VALUES ($1, 'created', 'system', now() - interval '10 minutes'), ($1, 'receipt_sent', 'system', now())`, [objectionId]);
    const behind = await lagOf("ObjectionEvent");
    expect(behind?.unchained).toBe(2);
    expect(behind?.oldestSeconds).toBeGreaterThanOrEqual(600);
    expect(await lagOf("AuditEvent")).toEqual({ chain: "AuditEvent", unchained: 0, oldestSeconds: 0 });

    await chainAuditLogs({ pool: pgPool() });
    expect(await lagOf("ObjectionEvent")).toEqual({ chain: "ObjectionEvent", unchained: 0, oldestSeconds: 0 });
    const text = await metricsRegistry().metrics();
    expect(text).toMatch(/^objection_audit_unchained_rows\{chain="ObjectionEvent"\} 0$/m);
    expect(text).toMatch(/^objection_audit_oldest_unchained_seconds\{chain="AuditEvent"\} 0$/m);
  });
});
