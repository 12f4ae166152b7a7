import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { failStaleRuns } from "@/lib/exports/export-housekeeping";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { jobs, QUEUES } from "@/lib/jobs";
import { importMembersCsv } from "@/lib/members/import-members-csv";
import { DIRECT_POOL_SIZE, inTransaction, pgPool } from "@/lib/pg";
import { readOnReplica } from "@/lib/read-replica/read-on-replica";
import { closeReadPool, READ_POOL_SIZE } from "@/lib/read-replica/read-pool";
import { closeTestDatabase } from "@/test/close-test-database";
import { exportSettingsFor, NIGHTLY_EXPORT_ACTOR } from "@/test/export-fixtures";
import { ADMIN_DATABASE_URL, createTestDatabase } from "@/test/test-database";

// DATABASE_POOL_SIZE is the most connections one process opens to DATABASE_URL, whatever mix of
// Prisma, raw SQL and pg-boss it runs; the work that needs a session adds at most DIRECT_POOL_SIZE
// to DIRECT_DATABASE_URL, and reads that may lag at most READ_POOL_SIZE to DATABASE_READ_URL (both
// here the same database). This file has a database of its own, so every connection to it is ours.
const BUDGET = 4;

let database: { name: string; url: string };
let admin: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase("objection_budget");
  // Set before anything calls env().
  Object.assign(process.env, { DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(BUDGET), DATABASE_READ_URL: database.url });
  admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
});

afterAll(async () => {
  await closeReadPool();
  await closeTestDatabase({ database, clients: [admin] });
});

/**
 * Samples this database's connections until stopped; returns the most seen at once, of all
 * (`most`), of the direct pool's (`direct`: lib/pg.ts names them "objection-direct") and of the
 * read pool's (`read`: "objection-read").
 */
const watchConnections = () => {
  let most = 0;
  let direct = 0;
  let read = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      const { rows } = await admin.query<{ n: number; direct: number; read: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE application_name = 'objection-direct')::int AS direct,
           count(*) FILTER (WHERE application_name = 'objection-read')::int AS read
         FROM pg_stat_activity WHERE datname = $1`,
        [database.name],
      );
      most = Math.max(most, rows[0]!.n);
      direct = Math.max(direct, rows[0]!.direct);
      read = Math.max(read, rows[0]!.read);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return async () => {
    running = false;
    await sampling;
    return { most, direct, read };
  };
};

const times = <T>(count: number, make: (index: number) => Promise<T>) => Promise.all(Array.from({ length: count }, (_, index) => make(index)));

describe("the connection budget", () => {
  it(`never opens more than DATABASE_POOL_SIZE (${BUDGET}) connections under Prisma, raw SQL, transactions and pg-boss at once`, async () => {
    const boss = await jobs({ worker: true });
    const stop = watchConnections();
    const handled: string[] = [];
    await boss.work<{ n: number }>(QUEUES.dashboardSummary.name, { pollingIntervalSeconds: 0.5, batchSize: 5 }, async (batch) => {
      for (const job of batch) handled.push(job.id);
      await pgPool().query(`SELECT pg_sleep(0.05)`);
    });

    const work = Promise.all([
      times(8, () => db().$queryRaw`SELECT pg_sleep(0.2)::text`),
      times(4, () => db().$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(0.2)::text`)),
      times(8, () => pgPool().query(`SELECT pg_sleep(0.2)`)),
      times(4, () => inTransaction((client) => client.query(`SELECT pg_advisory_xact_lock(42), pg_sleep(0.2)`))),
      times(8, (n) => boss.send(QUEUES.dashboardSummary.name, { n })),
      times(4, () => boss.getQueues()),
    ]);
    let seen: { most: number; direct: number; read: number };
    try {
      await work;
      // Long enough for the worker to poll and run what was sent.
      for (let tries = 0; tries < 100 && handled.length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      seen = await stop();
    }
    const { most } = seen;

    expect(handled.length).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(BUDGET);
    // None of this needs a session, nor reads a replica: neither pool is opened.
    expect(seen.direct).toBe(0);
    expect(seen.read).toBe(0);
    // The work above needs more than the budget at once: it was used whole, and shared.
    expect(most).toBe(BUDGET);
  });

  it(`adds at most DIRECT_POOL_SIZE (${DIRECT_POOL_SIZE}) direct connections for an export run and a member import at once`, async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "objection-budget-"));
    const file = path.join(folder, "members.csv");
    writeFileSync(file, ["externalId,email,country,birthDate,locale", ...Array.from({ length: 2000 }, (_, i) => `budget-${i},budget-${i}@example.eu,DE,1980-01-01,de`)].join("\n"));
    const stop = watchConnections();
    let seen: { most: number; direct: number; read: number };
    try {
      await Promise.all([
        importMembersCsv({ actor: PLATFORM_ACTOR, file, batchSize: 200 }),
        runExport(exportSettingsFor({ storage: exportStorageAt(folder) })),
        failStaleRuns({ actor: NIGHTLY_EXPORT_ACTOR, timeoutMinutes: 60 }),
        times(8, () => pgPool().query(`SELECT pg_sleep(0.2)`)),
      ]);
    } finally {
      seen = await stop();
      rmSync(folder, { recursive: true, force: true });
    }
    expect(seen.direct).toBe(DIRECT_POOL_SIZE);
    expect(seen.most).toBeLessThanOrEqual(BUDGET + DIRECT_POOL_SIZE);
  });

  it(`adds at most READ_POOL_SIZE (${READ_POOL_SIZE}) connections to DATABASE_READ_URL, however many reads run there at once`, async () => {
    const stop = watchConnections();
    let seen: { most: number; direct: number; read: number };
    try {
      // Here the "replica" is the database itself (not in recovery: 0 behind), so every read runs on it.
      await times(12, () => readOnReplica(({ pool }) => pool.query(`SELECT pg_sleep(0.2)`)));
      await times(4, () => readOnReplica(({ db }) => db.$queryRaw`SELECT pg_sleep(0.2)::text`));
    } finally {
      seen = await stop();
    }
    // More reads than connections at once: the pool was used whole, its health check included, and no more.
    expect(seen.read).toBe(READ_POOL_SIZE);
  });
});
