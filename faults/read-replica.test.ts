import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { queryOnOwnConnection, startOwnCluster, startOwnStandby, type TOwnCluster, type TOwnStandby } from "@/faults/own-postgres";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { readMetricsSnapshot } from "@/lib/metrics/read-metrics-snapshot";
import { memberNoticeHistory } from "@/lib/notifications/member-notice-history";
import { listObjections } from "@/lib/objections/list-objections";
import { ZObjectionFilters } from "@/lib/objections/objection-filters";
import { closeReadPool } from "@/lib/read-replica/read-pool";
import { REPLICA_CHECK_INTERVAL_MS, replicaState } from "@/lib/read-replica/replica-health";
import { freePort } from "@/scripts/lib/free-port";
import { buildApp, startApp } from "@/scripts/lib/stack";
import { waitUntil } from "@/test/campaign-fixtures";
import { closeTestDatabase } from "@/test/close-test-database";
import { exportSettingsFor, objectFor, readCsvRows } from "@/test/export-fixtures";
import { createAdmin, createMember, type TTestAdmin, type TTestMemberRow } from "@/test/factories";
import { TEST_ENV } from "@/test/test-env";

// DATABASE_READ_URL against a real streaming standby of the test's own primary. Replay is paused
// on the standby (pg_wal_replay_pause) so that what the primary writes meanwhile is missing there:
// a read that lacks it came from the replica, one that has it from the primary. This process routes
// its reads as a web instance does; the admin's read-your-writes runs through the production build.

const MAX_LAG_SECONDS = 2;

let primary: TOwnCluster;
let standby: TOwnStandby;
let pool: pg.Pool;
let viewer: TTestAdmin;

beforeAll(async () => {
  primary = await startOwnCluster({ port: await freePort(), name: "read-primary" });
  standby = await startOwnStandby({ primary, port: await freePort(), name: "read-standby" });
  // Set before anything calls env().
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: primary.url, DATABASE_READ_URL: standby.url, READ_REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS) });
  pool = new pg.Pool({ connectionString: primary.url, max: 2 });
  viewer = await createAdmin({ db: pool, role: "viewer" });
  // pg-boss makes its tables when metrics first start it: before replay is ever paused.
  await readMetricsSnapshot();
}, 120_000);

afterAll(async () => {
  await closeReadPool();
  await closeTestDatabase({ database: undefined, clients: [pool] });
  await standby?.remove();
  await primary?.remove();
});

const onStandby = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => queryOnOwnConnection<T>({ url: standby.url, text, values });

/** Waits until the standby has received (or replayed) everything the primary has written so far. */
const standbyHasAll = async (what: "receive" | "replay") => {
  const { lsn } = (await pool.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0]!;
  await waitUntil({ check: async () => (await onStandby<{ ok: boolean }>(`SELECT pg_last_wal_${what}_lsn() >= $1::pg_lsn AS ok`, [lsn]))[0]?.ok === true, timeoutMs: 10_000, what: `the standby's ${what}` });
};

/** Pauses replay right after a transaction was replayed: the lag starts from about 0 and grows while the primary writes. */
const pauseReplay = async () => {
  await pool.query("SELECT txid_current()");
  await standbyHasAll("replay");
  await onStandby("SELECT pg_wal_replay_pause()");
  await waitUntil({ check: async () => (await onStandby<{ ok: boolean }>("SELECT pg_get_wal_replay_pause_state() = 'paused' AS ok"))[0]?.ok === true, timeoutMs: 5_000, what: "replay paused" });
};

const resumeReplay = () => onStandby("SELECT pg_wal_replay_resume()");

type TWritten = { member: TTestMemberRow; id: string };

/** A member and their objection, written on the primary (and received by the standby when it is up). */
const writeObjection = async ({ received = true } = {}): Promise<TWritten> => {
  const member = await createMember({ db: pool });
  const id = await objectFor({ db: pool, member });
  if (received) await standbyHasAll("receive");
  return { member, id };
};

const primaryEffective = async () => Number((await pool.query<{ n: string }>(`SELECT coalesce(sum(count), 0) AS n FROM "DashboardObjectionCounter" WHERE status = 'effective'`)).rows[0]!.n);

/** Whether each replica reader sees `written`: the console's queue, the notices API, metrics' count of effective objections. */
const seen = async (written: TWritten) => {
  const [page, notices, metrics] = await Promise.all([listObjections({ actor: viewer, filters: ZObjectionFilters.parse({}) }), memberNoticeHistory(written.member.externalId), readMetricsSnapshot()]);
  const effective = metrics.objections.filter((row) => row.status === "effective").reduce((sum, row) => sum + Number(row.count), 0);
  return { queue: page.rows.some((row) => row.id === written.id), notices: notices !== null, metrics: effective === (await primaryEffective()) };
};

const NONE = { queue: false, notices: false, metrics: false };
const ALL = { queue: true, notices: true, metrics: true };

describe("reads with DATABASE_READ_URL", () => {
  it("go to the replica while it is within READ_REPLICA_MAX_LAG_SECONDS: the console's queue, the notices API and metrics lack what it has not replayed", async () => {
    await pauseReplay();
    try {
      expect(await seen(await writeObjection())).toEqual(NONE);
    } finally {
      await resumeReplay();
    }
  });

  it(`go to the primary once the replica lags more than READ_REPLICA_MAX_LAG_SECONDS (${MAX_LAG_SECONDS})`, async () => {
    await pauseReplay();
    try {
      const written = await writeObjection();
      expect(await seen(written)).toEqual(NONE);
      // Past the lag, and past the last check that found it within.
      await sleep(MAX_LAG_SECONDS * 1000 + REPLICA_CHECK_INTERVAL_MS + 200);
      expect(await seen(written)).toEqual(ALL);
    } finally {
      await resumeReplay();
    }
  });

  it(`go to the primary once the replica has lost its primary for more than READ_REPLICA_MAX_LAG_SECONDS (${MAX_LAG_SECONDS}), though it has replayed all it received`, async () => {
    await standbyHasAll("replay");
    const conninfo = (await onStandby<{ primary_conninfo: string }>("SHOW primary_conninfo"))[0]!.primary_conninfo;
    await onStandby("ALTER SYSTEM SET primary_conninfo = ''");
    await onStandby("SELECT pg_reload_conf()");
    try {
      await waitUntil({ check: async () => (await onStandby("SELECT 1 FROM pg_stat_wal_receiver")).length === 0, timeoutMs: 5_000, what: "the standby's WAL receiver to stop" });
      const written = await writeObjection({ received: false });
      await sleep(MAX_LAG_SECONDS * 1000 + REPLICA_CHECK_INTERVAL_MS + 200);
      expect(await seen(written)).toEqual(ALL);
    } finally {
      await onStandby(`ALTER SYSTEM SET primary_conninfo = '${conninfo.replaceAll("'", "''")}'`);
      await onStandby("SELECT pg_reload_conf()");
      await standbyHasAll("replay");
    }
  });

  it("go to the primary, without an error and within a second, while the replica is stopped; back to it once it is up and caught up", async () => {
    await standbyHasAll("replay");
    await waitUntil({ check: async () => (await replicaState()).usable, timeoutMs: 5_000, what: "reads on the replica" });
    // Read there once, so the read pool holds connections the stop then breaks.
    await seen(await writeObjection());
    await standby.stop();
    const written = await writeObjection({ received: false });
    const started = Date.now();
    expect(await seen(written)).toEqual(ALL);
    expect(await seen(written)).toEqual(ALL);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await replicaState()).toEqual({ usable: false, reason: "unreachable" });

    await standby.start();
    await pauseReplay();
    try {
      const later = await writeObjection();
      // The next check (at most REPLICA_CHECK_INTERVAL_MS on) finds it back.
      await waitUntil({ check: async () => !(await seen(later)).queue, timeoutMs: 5_000, what: "reads back on the replica" });
      expect(await seen(later)).toEqual(NONE);
    } finally {
      await resumeReplay();
    }
  });

  it("the export run reads the primary: an objection the paused replica lacks is in the run", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "objection-read-export-"));
    await pauseReplay();
    try {
      const written = await writeObjection();
      expect((await seen(written)).queue).toBe(false);
      const manifest = await runExport(exportSettingsFor({ storage: exportStorageAt(folder) }));
      expect(readCsvRows({ folder, runId: manifest.runId, name: "snapshot.csv" }).map((row) => row.objection_id)).toContain(written.id);
    } finally {
      await resumeReplay();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("an admin's change, through the production build", () => {
  it("sends that admin's next pages to the primary: the queue shows the objections just imported while the replica still lacks them", async () => {
    const port = await freePort();
    // The default lag (30 s): the paused replica stays in use while the test looks.
    const env = { ...TEST_ENV, DATABASE_URL: primary.url, DATABASE_READ_URL: standby.url, READ_REPLICA_MAX_LAG_SECONDS: "30", APP_URL: `http://127.0.0.1:${port}` };
    if (!existsSync(".next/BUILD_ID")) await buildApp(env);
    const app = await startApp({ env, port, logs: process.env.FAULT_LOGS === "1" });
    try {
      const admin = await createAdmin({ db: pool, role: "admin" });
      const token = randomBytes(32).toString("hex");
      await pool.query(`INSERT INTO "AdminSession" ("sessionToken", "userId", expires) VALUES ($1, $2, now() + interval '1 hour')`, [hashSessionToken(token), admin.id]);
      const session = `authjs.session-token=${token}`;
      const member = await createMember({ db: pool });
      await pauseReplay();
      try {
        const form = new FormData();
        form.set("file", new Blob([`external_id,objected_at\n${member.externalId},2024-10-10\n`], { type: "text/csv" }), "prior.csv");
        const upload = await fetch(`http://127.0.0.1:${port}/admin/objections/import/upload`, { method: "POST", body: form, headers: { cookie: session } });
        expect(upload.status).toBe(200);
        const imported = ((await upload.json()) as { lines: { objectionId?: string }[] }).lines[0]?.objectionId;
        expect(imported).toBeTruthy();
        const change = upload.headers.getSetCookie().find((cookie) => cookie.startsWith("objection-console-change="));
        expect(change).toMatch(/Max-Age=30(;|$)/i);
        expect(change).toMatch(/HttpOnly/i);
        await standbyHasAll("receive");

        const queue = async (cookie: string) => (await fetch(`http://127.0.0.1:${port}/admin/objections`, { headers: { cookie } })).text();
        // Without the cookie, the same session reads the replica, which lacks the import; with it, the primary.
        expect(await queue(session)).not.toContain(imported);
        expect(await queue(`${session}; ${change!.split(";")[0]}`)).toContain(imported);
      } finally {
        await resumeReplay();
      }
    } finally {
      await app.stop();
    }
  });
});
