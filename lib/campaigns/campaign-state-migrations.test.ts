import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabaseBefore, dropTestDatabase, migrationSql } from "@/test/test-database";

// The migrations that turned a campaign's stringly typed state into columns and rows: each runs
// here over rows written as the code before it wrote them.
const PACING_TABLE = "20261206145721_campaign_pacing_table";

let database: { name: string; url: string };
let client: pg.Client;

beforeAll(async () => {
  database = await createDatabaseBefore({ prefix: `${process.env.TEST_FILE_DATABASE_PREFIX ?? "objection_f"}_m`, before: PACING_TABLE });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client.end();
  await dropTestDatabase(database.name);
});

describe("campaign state migrations", () => {
  it("moves each paced domain a campaign recorded as text into a CampaignPacing row, a bare domain as of the last wait and without a rate", async () => {
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
});
