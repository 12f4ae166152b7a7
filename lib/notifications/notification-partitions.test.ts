import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { COUNTER_DRIFT } from "@/lib/campaigns/campaign-counters-sql";
import { ANY_LEFT, CLAIM, PEEK, RECORD_FAILURES, RECORD_SENT } from "@/lib/campaigns/send-campaign-batch-sql";
import { createCampaign, createMember } from "@/test/factories";
import { createDatabaseBefore, dropTestDatabase, migrationSql } from "@/test/test-database";

// Notification is partitioned by campaign (migration notification_partitions). The migration
// moves the rows of a database in use; afterwards every campaign has its partition, and the send
// path reads and writes its campaign's partition only.

const MIGRATION = "20261206225722_notification_partitions";

let database: { name: string; url: string };
let pool: pg.Pool;

beforeAll(async () => {
  database = await createDatabaseBefore({ prefix: "objection_partitions", before: MIGRATION });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await pool.end();
  await dropTestDatabase(database.name);
});

type TNoticeRow = { id: string; memberId: string; campaignId: string | null; channel: string; status: string; partition: string };

const notices = async () =>
  (await pool.query<TNoticeRow>(`SELECT id, "memberId", "campaignId", channel, status, tableoid::regclass::text AS partition FROM "Notification" ORDER BY id`)).rows;

const partitionOf = (campaignId: string) => `"Notification_${campaignId.replaceAll("-", "")}"`;

/** The relations a statement's plan reads or writes, as EXPLAIN names them. */
const relationsOf = async (sql: string, values: unknown[]) => {
  const { rows } = await pool.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, values);
  return new Set([...JSON.stringify(rows[0]!["QUERY PLAN"]).matchAll(/"Relation Name":"([^"]+)"/g)].map((match) => match[1]!));
};

describe("Notification partitioned by campaign", () => {
  let campaignId: string;
  let otherCampaignId: string;

  it("the migration moves every notice into its campaign's partition, notices outside a campaign into one of their own, and the counters still agree with a recount", async () => {
    const [first, second, third] = [await createMember({ db: pool }), await createMember({ db: pool }), await createMember({ db: pool })];
    const running = await pool.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, status, "updatedAt") VALUES ('running', '{email}', 'running', now()) RETURNING id`);
    campaignId = running.rows[0]!.id;
    await pool.query(
      `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch, "sentAt", "seenAt")
       VALUES ($1, $4, 'email', 'sent', 0, now(), now()), ($2, $4, 'email', 'queued', 0, NULL, NULL), ($3, $4, 'email', 'failed', 0, NULL, NULL),
              ($1, NULL, 'in_app', 'sent', NULL, now(), NULL), ($2, NULL, 'email', 'sent', NULL, now(), NULL)`,
      [first.id, second.id, third.id, campaignId],
    );
    await pool.query(
      `INSERT INTO "Objection" ("memberId", "notificationId", email, country, source)
       SELECT n."memberId", n.id, 'someone@example.eu', 'IE', 'email_link' FROM "Notification" n WHERE n.channel = 'email' AND n.status = 'sent'`,
    );
    await pool.query(`INSERT INTO "BounceReport" ("notificationId", digest) SELECT id, 'digest' FROM "Notification" WHERE channel = 'email' AND status = 'sent'`);
    const before = await notices();

    await pool.query(migrationSql(MIGRATION));

    const after = await notices();
    const outside = (await pool.query<{ id: string; status: string }>(`SELECT id, status FROM "Campaign" WHERE name = 'Notices sent outside a campaign'`)).rows;
    expect(outside).toEqual([{ id: expect.any(String), status: "done" }]);
    expect(after.map(({ partition, ...row }) => row)).toEqual(before.map(({ partition, ...row }) => ({ ...row, campaignId: row.campaignId ?? outside[0]!.id })));
    expect(after.every((row) => row.partition === partitionOf(row.campaignId!))).toBe(true);
    expect(new Set(after.map((row) => row.partition)).size).toBe(2);

    const pointers = await pool.query<{ kind: string; matched: boolean }>(
      `SELECT 'objection' AS kind, n.id IS NOT NULL AS matched FROM "Objection" o LEFT JOIN "Notification" n ON n."campaignId" = o."campaignId" AND n.id = o."notificationId"
       UNION ALL SELECT 'bounce report', n.id IS NOT NULL FROM "BounceReport" r LEFT JOIN "Notification" n ON n."campaignId" = r."campaignId" AND n.id = r."notificationId"`,
    );
    expect(pointers.rows.map((row) => row.kind).sort()).toEqual(["bounce report", "bounce report", "objection", "objection"]);
    expect(pointers.rows.every((row) => row.matched)).toBe(true);
    expect((await pool.query(COUNTER_DRIFT)).rows).toEqual([]);
  });

  it("a new campaign gets its own partition, and its notices land in it", async () => {
    otherCampaignId = (await createCampaign({ db: pool, status: "running" })).id;
    const member = await createMember({ db: pool });
    await pool.query(`INSERT INTO "Notification" ("memberId", "campaignId", channel, batch) VALUES ($1, $2, 'email', 0)`, [member.id, otherCampaignId]);
    const { rows } = await pool.query<{ partition: string }>(`SELECT tableoid::regclass::text AS partition FROM "Notification" WHERE "campaignId" = $1`, [otherCampaignId]);
    expect(rows).toEqual([{ partition: partitionOf(otherCampaignId) }]);
    await expect(pool.query(`INSERT INTO "Notification" ("memberId", "campaignId", channel) VALUES ($1, NULL, 'email')`, [member.id])).rejects.toThrow(/no partition/);
  });

  it("the send path's claim, its records and its checks touch only their campaign's partition", async () => {
    const none: string[] = [];
    const statements: [string, string, unknown[]][] = [
      ["claim", CLAIM, [campaignId, 0, none, 25, null, none]],
      ["peek", PEEK, [campaignId, 0, none, 25, none]],
      ["any left", ANY_LEFT, [campaignId, 0, none]],
      ["record sent", RECORD_SENT, [none, none, none, none, campaignId]],
      ["record failures", RECORD_FAILURES, [none, none, none, 5, campaignId]],
    ];
    for (const [name, sql, values] of statements) {
      const notificationRelations = [...(await relationsOf(sql, values))].filter((relation) => relation.startsWith("Notification_"));
      expect({ name, notificationRelations }).toEqual({ name, notificationRelations: [partitionOf(campaignId).replaceAll('"', "")] });
    }
  });
});
