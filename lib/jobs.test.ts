import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { enqueueJob, jobs, QUEUES, stopJobs } from "@/lib/jobs";
import { closePgPool, inTransaction, pgPool } from "@/lib/pg";
import type { TTx } from "@/lib/pg-tx";

beforeAll(async () => {
  await jobs();
});

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

class RolledBack extends Error {}

const queue = QUEUES.objectionWithdrawal.name;

const jobIdsFor = async (objectionId: string) => (await pgPool().query<{ id: string }>(`SELECT id::text AS id FROM pgboss.job WHERE name = $1 AND data->>'objectionId' = $2`, [queue, objectionId])).rows.map((row) => row.id);

// Each connection kind, opening a transaction that runs `work` on the connection it holds.
const KINDS: { kind: string; transaction: <T>(work: (tx: TTx) => Promise<T>) => Promise<T> }[] = [
  { kind: "a Prisma transaction", transaction: (work) => db().$transaction((tx) => work(tx)) },
  { kind: "a pg client's transaction", transaction: (work) => inTransaction((client) => work(client)) },
];

describe.each(KINDS)("a job enqueued on $kind", ({ transaction }) => {
  it("commits with the transaction", async () => {
    const objectionId = randomUUID();
    const jobId = await transaction((tx) => enqueueJob(tx, { queue, data: { objectionId } }));
    expect(await jobIdsFor(objectionId)).toEqual([jobId]);
  });

  it("rolls back with the transaction", async () => {
    const objectionId = randomUUID();
    await expect(
      transaction(async (tx) => {
        await enqueueJob(tx, { queue, data: { objectionId } });
        throw new RolledBack();
      }),
    ).rejects.toBeInstanceOf(RolledBack);
    expect(await jobIdsFor(objectionId)).toEqual([]);
  });
});
