import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { createDatabaseBefore, dropTestDatabase, migrationSql } from "@/test/test-database";

// The migrations that turned a campaign's stringly typed state into columns and rows: each runs
// here over rows written as the code before it wrote them, in a database of its own migrated up to it.
const PACING_TABLE = "20261206145721_campaign_pacing_table";
const SKIP_REASON = "20261206150200_notification_skip_reason";

const opened: { name: string; client: pg.Client }[] = [];

const databaseBefore = async (migration: string) => {
  const { name, url } = await createDatabaseBefore({ prefix: `${process.env.TEST_FILE_DATABASE_PREFIX ?? "objection_f"}_m`, before: migration });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  opened.push({ name, client });
  return client;
};

afterAll(async () => {
  for (const { name, client } of opened) {
    await client.end();
    await dropTestDatabase(name);
  }
});

describe("campaign state migrations", () => {
  it("moves each paced domain a campaign recorded as text into a CampaignPacing row, a bare domain as of the last wait and without a rate", async () => {
    const client = await databaseBefore(PACING_TABLE);
    const insert = async (entries: string[], pacedAt: string | null) =>
      (
        await client.query<{ id: string }>(
          `INSERT INTO "Campaign" (name, channels, countries, status, "pacedDomains", "pacedAt") VALUES ('old', '{email}', '{}', 'running', $1, $2) RETURNING id`,
          [entries, pacedAt],
        )
      ).rows[0]!.id;
    // "pacedAt" was the time of the campaign's last write, so no entry is later.
    const at = (epoch: number) => new Date(epoch * 1000).toISOString();
    const rated = await insert(["gmail.com=300@1796000000", "outlook.com=150@1795999990"], at(1796000000));
    const bare = await insert(["gmail.com"], "2026-11-30T11:00:00Z");
    // Listed bare and with its rate, both as of the last write: the one with its rate is kept.
    const twice = await insert(["yahoo.com", "yahoo.com=5@1796000000"], at(1796000000));
    const never = await insert([], null);

    await client.query(migrationSql(PACING_TABLE));

    const { rows } = await client.query<{ campaignId: string; domain: string; ratePerSecond: number | null; waitedAt: Date }>(
      `SELECT "campaignId", domain, "ratePerSecond", "waitedAt" FROM "CampaignPacing" ORDER BY "campaignId", domain`,
    );
    const of = (campaignId: string) => rows.filter((row) => row.campaignId === campaignId).map(({ domain, ratePerSecond, waitedAt }) => ({ domain, ratePerSecond, waitedAt: waitedAt.toISOString() }));
    expect(of(rated)).toEqual([
      { domain: "gmail.com", ratePerSecond: 300, waitedAt: at(1796000000) },
      { domain: "outlook.com", ratePerSecond: 150, waitedAt: at(1795999990) },
    ]);
    expect(of(bare)).toEqual([{ domain: "gmail.com", ratePerSecond: null, waitedAt: "2026-11-30T11:00:00.000Z" }]);
    expect(of(twice)).toEqual([{ domain: "yahoo.com", ratePerSecond: 5, waitedAt: at(1796000000) }]);
    expect(of(never)).toEqual([]);
    const { rows: columns } = await client.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'Campaign' AND column_name IN ('pacedDomains', 'pacedAt')`);
    expect(columns).toEqual([]);
  });

  it("gives each notification skipped with a reason in prose its skipReason (and suppressionReason), and leaves every other lastError as it was", async () => {
    const client = await databaseBefore(SKIP_REASON);
    const { rows: members } = await client.query<{ id: string }>(
      `INSERT INTO "Member" ("externalId", email, country, "birthDate") SELECT 'm' || i, 'm' || i || '@example.eu', 'DE', '1980-01-01' FROM generate_series(1, 6) AS i RETURNING id`,
    );
    // As the send job's claim wrote them, and a failure's SMTP error.
    const written = [
      { status: "skipped", lastError: "Not sent: the member objected after the launch." },
      { status: "skipped", lastError: "Not sent: emails to this member are stopped (hard_bounce)." },
      { status: "skipped", lastError: "Not sent: emails to this member are stopped (complaint)." },
      { status: "skipped", lastError: "Not sent: emails to this member are stopped (unsubscribe)." },
      { status: "failed", lastError: "550 5.1.1 No such user" },
      { status: "sent", lastError: null },
    ];
    const { rows: ids } = await client.query<{ id: string }>(
      `INSERT INTO "Notification" ("memberId", channel, status, "lastError")
       SELECT m, 'email', s::"NotificationStatus", e FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS u(m, s, e, i) ORDER BY i RETURNING id`,
      [members.map((member) => member.id), written.map((row) => row.status), written.map((row) => row.lastError)],
    );

    await client.query(migrationSql(SKIP_REASON));

    const { rows } = await client.query<{ id: string; status: string; skipReason: string | null; suppressionReason: string | null; lastError: string | null }>(
      `SELECT id, status, "skipReason", "suppressionReason", "lastError" FROM "Notification"`,
    );
    const byId = new Map(rows.map(({ id, ...row }) => [id, row]));
    expect(ids.map(({ id }) => byId.get(id))).toEqual([
      { status: "skipped", skipReason: "objected", suppressionReason: null, lastError: null },
      { status: "skipped", skipReason: "suppressed", suppressionReason: "hard_bounce", lastError: null },
      { status: "skipped", skipReason: "suppressed", suppressionReason: "complaint", lastError: null },
      { status: "skipped", skipReason: "suppressed", suppressionReason: "unsubscribe", lastError: null },
      { status: "failed", skipReason: null, suppressionReason: null, lastError: "550 5.1.1 No such user" },
      { status: "sent", skipReason: null, suppressionReason: null, lastError: null },
    ]);
  });
});
