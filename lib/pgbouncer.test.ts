import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET as noticesRoute } from "@/app/api/v1/members/[externalId]/notifications/route";
import { LINK_HOLDER, PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { jobs, QUEUES } from "@/lib/jobs";
import { mintLinkToken } from "@/lib/links/token";
import { openPersonalLink } from "@/lib/links/open-personal-link";
import { importMembersCsv } from "@/lib/members/import-members-csv";
import { submitObjection } from "@/lib/objections/submit-objection";
import { pgPool } from "@/lib/pg";
import { freePort } from "@/scripts/lib/free-port";
import { migrateDatabase } from "@/scripts/lib/stack";
import { closeTestDatabase } from "@/test/close-test-database";
import { exportSettingsFor, readCsvRows } from "@/test/export-fixtures";
import { createMember, createNotification } from "@/test/factories";
import { startPgBouncer, type TPgBouncer } from "@/test/pgbouncer";
import { TEST_ENV } from "@/test/test-env";

// Every process's DATABASE_URL may name PgBouncer in transaction mode with its default settings
// (Debian's 1.18: no prepared statements across transactions, no startup `options`), and
// DIRECT_DATABASE_URL PostgreSQL itself. Few server connections for more clients than that, so
// consecutive statements of one client land on different server connections, as under load.
const SERVER_CONNECTIONS = 4;
const CLIENTS = 8;
// Each path runs this many times at once, on the app's pool of CLIENTS connections.
const AT_ONCE = 12;

let bouncer: TPgBouncer;
let folder: string;
const directUrl = process.env.DATABASE_URL!;

beforeAll(async () => {
  bouncer = await startPgBouncer({ upstreamUrl: directUrl, poolSize: SERVER_CONNECTIONS });
  // Before anything reads env(): the app's pool goes through PgBouncer from its first connection.
  Object.assign(process.env, {
    DATABASE_URL: bouncer.urlFor(directUrl),
    DIRECT_DATABASE_URL: directUrl,
    DATABASE_POOL_SIZE: String(CLIENTS),
    PLATFORM_API_RATE_PER_MINUTE: "1000",
  });
  folder = mkdtempSync(path.join(tmpdir(), "objection-pgbouncer-"));
});

afterAll(async () => {
  // PgBouncer first: a client stuck on it then fails at once instead of holding the teardown.
  await bouncer?.stop();
  await closeTestDatabase({ database: undefined });
  rmSync(folder, { recursive: true, force: true });
});

const times = <T>(count: number, make: (index: number) => Promise<T>) => Promise.all(Array.from({ length: count }, (_, index) => make(index)));

/**
 * Runs `work` while other clients keep PgBouncer's server connections busy, as a platform's
 * traffic does: a session's state (a lock, a temporary table) left between transactions would
 * then be on a server connection another client gets next.
 */
const underLoad = async <T>(work: () => Promise<T>) => {
  let running = true;
  const load = times(CLIENTS - 2, async () => {
    while (running) await pgPool().query(`SELECT pg_sleep(0.005)`);
  });
  try {
    return await work();
  } finally {
    running = false;
    await load;
  }
};

/** Advisory locks held on the database now, by anyone: an export's lock must not outlive its run. */
const advisoryLocks = async () => {
  const client = new pg.Client({ connectionString: directUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
};

/** Members, each with an email notification (a personal link names one) and an in-app one, made through PgBouncer. */
const membersWithNotices = (count: number) =>
  times(count, async () => {
    const member = await createMember({ db: pgPool() });
    const email = await createNotification({ db: pgPool(), memberId: member.id });
    await createNotification({ db: pgPool(), memberId: member.id, channel: "in_app" });
    return { ...member, notificationId: email.id };
  });

describe("through PgBouncer in transaction mode", () => {
  it("migrations go to DIRECT_DATABASE_URL, not to DATABASE_URL", async () => {
    // DATABASE_URL names a port nobody listens on: only the direct URL can answer.
    const output = await migrateDatabase({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`, DIRECT_DATABASE_URL: directUrl });
    expect(output).toContain("No pending migrations");
  });

  it("the objection form's submit stores each objection", async () => {
    const members = await membersWithNotices(AT_ONCE);
    const results = await times(AT_ONCE, (index) =>
      submitObjection({ actor: LINK_HOLDER, subject: { kind: "notification", id: members[index]!.notificationId }, country: "IE" }),
    );
    expect(results.map((result) => result.status)).toEqual(Array(AT_ONCE).fill("created"));
    const stored = await pgPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "Objection" WHERE "memberId" = ANY($1::uuid[])`, [members.map((member) => member.id)]);
    expect(stored.rows[0]!.n).toBe(AT_ONCE);
  });

  it("the personal link page opens each link", async () => {
    const members = await membersWithNotices(AT_ONCE);
    const expiresAt = new Date(Date.now() + 86_400_000);
    const opened = await times(AT_ONCE, (index) =>
      openPersonalLink({ actor: LINK_HOLDER, token: mintLinkToken({ subject: { kind: "notification", id: members[index]!.notificationId }, expiresAt, secret: TEST_ENV.LINK_SECRET }) }),
    );
    expect(opened.map((result) => (result.ok ? result.link.member.id : result.reason))).toEqual(members.map((member) => member.id));
  });

  it("the notices API answers each member, past the platform rate limiter", async () => {
    const members = await membersWithNotices(AT_ONCE);
    const headers = { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}` };
    const answers = await times(AT_ONCE, async (index) => {
      const { externalId } = members[index]!;
      const response = await noticesRoute(new Request(`http://localhost/api/v1/members/${externalId}/notifications`, { headers }), { params: Promise.resolve({ externalId }) });
      return { status: response.status, notices: response.status === 200 ? ((await response.json()) as unknown[]).length : 0 };
    });
    expect(answers).toEqual(Array(AT_ONCE).fill({ status: 200, notices: 1 }));
  });

  it("a pg-boss job is sent and worked", async () => {
    const boss = await jobs({ worker: true });
    const worked: string[] = [];
    await boss.work<{ n: number }>(QUEUES.dashboardSummary.name, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      worked.push(job!.id);
    });
    const id = await boss.send(QUEUES.dashboardSummary.name, { n: 1 });
    for (let tries = 0; tries < 100 && !worked.includes(id!); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(worked).toContain(id);
    await boss.offWork(QUEUES.dashboardSummary.name);
  });

  it("the member CSV import stores every row", async () => {
    const rows = Array.from({ length: 1000 }, (_, index) => `bouncer-${index},bouncer-${index}@example.eu,DE,1980-01-01,de`);
    const file = path.join(folder, "members.csv");
    writeFileSync(file, ["externalId,email,country,birthDate,locale", ...rows].join("\n"));
    const result = await underLoad(() => importMembersCsv({ actor: PLATFORM_ACTOR, file, batchSize: 50 }));
    expect(result).toMatchObject({ created: 1000, updated: 0 });
    const stored = await db().member.count({ where: { externalId: { startsWith: "bouncer-" } } });
    expect(stored).toBe(1000);
  });

  it("export runs write every objection, each continuing the chain, and leave no lock behind", async () => {
    for (const member of await membersWithNotices(2)) {
      await submitObjection({ actor: LINK_HOLDER, subject: { kind: "notification", id: member.notificationId }, country: "IE" });
    }
    const objections = await pgPool().query<{ id: string }>(`SELECT id FROM "Objection" WHERE status = 'effective'`);
    let previousRunId: string | null = null;
    // Several runs: one whose lock and unlock happened to share a server connection proves little.
    for (let run = 0; run < 4; run++) {
      const manifest = await underLoad(() => runExport(exportSettingsFor({ storage: exportStorageAt(folder) })));
      expect(await advisoryLocks()).toBe(0);
      if (previousRunId) expect(manifest.previousRunId).toBe(previousRunId);
      previousRunId = manifest.runId;
      const snapshot = readCsvRows({ folder, runId: manifest.runId, name: "snapshot.csv" });
      expect(snapshot.map((row) => row.objection_id).sort()).toEqual(objections.rows.map((row) => row.id).sort());
    }
  });
});
