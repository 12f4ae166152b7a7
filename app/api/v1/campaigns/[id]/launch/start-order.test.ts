import { afterAll, describe, expect, it } from "vitest";

import { POST as createRoute } from "@/app/api/v1/campaigns/route";
import { POST as launchRoute } from "@/app/api/v1/campaigns/[id]/launch/route";
import { db } from "@/lib/db";
import { QUEUES, startBoss, stopJobs } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";
import { callCampaignRoute } from "@/test/campaign-api";

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

// This file's database is a fresh copy of the migrated template: pg-boss has never started on it.
describe("processes starting in any order on a fresh database", () => {
  it("launches a campaign while a worker and a second web instance start at the same moment", async () => {
    const created = await callCampaignRoute(createRoute, { body: { name: "first", channels: ["email"], countries: ["LU"] } });
    expect(created.status).toBe(201);
    // The other processes, each with its own pg-boss instance (their own connections to the same database).
    const [launched, ...others] = await Promise.all([
      callCampaignRoute(launchRoute, { id: String(created.json.id) }),
      startBoss({ worker: true }),
      startBoss({ worker: false }),
      startBoss({ worker: false }),
    ]);
    await Promise.all(others.map((boss) => boss.stop({ graceful: false, wait: true })));
    expect(launched.status).toBe(202);

    // Every queue exists once, with the policy lib/jobs.ts gives it.
    const { rows } = await pgPool().query<{ name: string; policy: string; retention_minutes: number | null; expire_seconds: number | null }>(
      `SELECT name, policy, retention_minutes, expire_seconds FROM pgboss.queue`,
    );
    expect(rows.map((row) => row.name).sort()).toEqual([...Object.values(QUEUES).map((queue) => queue.name), "__pgboss__send-it"].sort());
    expect(rows.find((row) => row.name === QUEUES.adminSignIn.name)).toMatchObject({ policy: "standard", retention_minutes: 15, expire_seconds: 60 });
    expect(rows.find((row) => row.name === QUEUES.exportNightly.name)).toMatchObject({ policy: "singleton" });
  });
});
