import { afterAll, expect, it } from "vitest";

import { QUEUES, startBoss } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";

// Workers started together (two replicas deployed at once) on a database without pg-boss's queues:
// each creates every queue, with its partition of the job table. The file's database is its own.

afterAll(async () => {
  await closePgPool();
});

it("two workers starting together on a database without the queues both start, and each queue is made once", async () => {
  await pgPool().query("DROP SCHEMA IF EXISTS pgboss CASCADE");

  const started = await Promise.allSettled([startBoss({ worker: false }), startBoss({ worker: false })]);
  await Promise.all(started.map((result) => (result.status === "fulfilled" ? result.value.stop({ graceful: false, wait: true }) : undefined)));

  expect(started.map((result) => (result.status === "rejected" ? String(result.reason) : "started"))).toEqual(["started", "started"]);
  const { rows } = await pgPool().query<{ name: string }>("SELECT name FROM pgboss.queue ORDER BY name");
  // pg-boss's own queue for cron is made with the others (lib/jobs.ts).
  expect(rows.map((row) => row.name)).toEqual([...Object.values(QUEUES).map((queue) => queue.name), "__pgboss__send-it"].sort());
});
