import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PACING_DOMAINS_SHOWN } from "@/lib/campaigns/campaign-pacing-sql";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { recordPacing } from "@/lib/campaigns/record-pacing";
import { closePgPool, pgPool } from "@/lib/pg";
import { TEST_ENV } from "@/test/test-env";

// What a worker records when it holds emails back for MAIL_DOMAIN_RATES (lib/campaigns/record-pacing.ts),
// and what the campaign's stats make of it. The sending itself is in app/api/v1/campaigns/domain-pacing.test.ts.

const SLOW_RATE = 3;

beforeAll(() => {
  // Before anything calls env(): this file's database is the one test/file-database.ts made.
  Object.assign(process.env, { ...TEST_ENV, DATABASE_URL: process.env.DATABASE_URL });
});

afterAll(async () => {
  await closePgPool();
});

const pool = () => pgPool();

const insertRunningCampaign = async (name: string) => {
  const { rows } = await pool().query<{ id: string }>(
    `INSERT INTO "Campaign" (name, channels, countries, status, "launchedAt", "audienceAt") VALUES ($1, '{email}', '{}', 'running', now(), now()) RETURNING id`,
    [name],
  );
  return rows[0]!.id;
};

/** A worker's record of waits on paced domains, written as recordPacing does, `secondsAgo` back. */
const insertPacing = async ({ campaignId, rows }: { campaignId: string; rows: { domain: string; ratePerSecond: number | null; secondsAgo?: number }[] }) => {
  await pool().query(
    `INSERT INTO "CampaignPacing" ("campaignId", domain, "ratePerSecond", "waitedAt")
     SELECT $1, d, r, now() - make_interval(secs => s) FROM unnest($2::text[], $3::int[], $4::int[]) AS u(d, r, s)`,
    [campaignId, rows.map((row) => row.domain), rows.map((row) => row.ratePerSecond), rows.map((row) => row.secondsAgo ?? 0)],
  );
};

const pacingRows = async (campaignId: string) =>
  (await pool().query<{ domain: string; ratePerSecond: number | null; waitedAt: Date }>(`SELECT domain, "ratePerSecond", "waitedAt" FROM "CampaignPacing" WHERE "campaignId" = $1 ORDER BY domain`, [campaignId])).rows;

describe("the campaign's record of paced domains", () => {
  it("names every domain the workers wait for, each with the rate its worker paces it at, while its last wait is fresh", async () => {
    const tag = randomUUID().slice(0, 8);
    const campaignId = await insertRunningCampaign(`merge ${tag}`);
    // Other workers waited on other.test a moment ago, on slow.test (then at another rate) too, and on old.test 11 s ago.
    await insertPacing({ campaignId, rows: [{ domain: "other.test", ratePerSecond: 7 }, { domain: "slow.test", ratePerSecond: 9 }, { domain: "old.test", ratePerSecond: 5, secondsAgo: 11 }] });
    // This worker waits on slow.test: its row is updated in place, and the others' are kept.
    await recordPacing({ campaignId, domains: [{ domain: "slow.test", ratePerSecond: SLOW_RATE }] });
    expect((await pacingRows(campaignId)).map(({ domain, ratePerSecond }) => `${domain}=${ratePerSecond}`)).toEqual(["old.test=5", "other.test=7", `slow.test=${SLOW_RATE}`]);
    // The stale domain is stored but not shown.
    expect((await campaignStats(campaignId))?.pacing?.domains).toEqual([
      { domain: "other.test", ratePerSecond: 7 },
      { domain: "slow.test", ratePerSecond: SLOW_RATE },
    ]);
    // A domain recorded without a rate counts as of its last wait, with no rate to show.
    await pool().query(`DELETE FROM "CampaignPacing" WHERE "campaignId" = $1`, [campaignId]);
    await insertPacing({ campaignId, rows: [{ domain: "gmail.com", ratePerSecond: null }] });
    expect((await campaignStats(campaignId))?.pacing?.domains).toEqual([{ domain: "gmail.com", ratePerSecond: null }]);
  });

  it("shows the last wait's time while the campaign runs, and no pacing once it is paused, however fresh the rows", async () => {
    const campaignId = await insertRunningCampaign(`stats ${randomUUID().slice(0, 8)}`);
    await insertPacing({ campaignId, rows: [{ domain: "a.test", ratePerSecond: 3, secondsAgo: 4 }, { domain: "b.test", ratePerSecond: 2, secondsAgo: 1 }] });
    const last = Math.max(...(await pacingRows(campaignId)).map(({ waitedAt }) => waitedAt.getTime()));
    expect((await campaignStats(campaignId))?.pacing).toEqual({ domains: [{ domain: "a.test", ratePerSecond: 3 }, { domain: "b.test", ratePerSecond: 2 }], at: new Date(last) });
    await pool().query(`UPDATE "Campaign" SET status = 'paused' WHERE id = $1`, [campaignId]);
    expect(await campaignStats(campaignId)).toMatchObject({ status: "paused", pacing: null });
  });

  it("records no wait for a campaign that is not running", async () => {
    const campaignId = await insertRunningCampaign(`paused ${randomUUID().slice(0, 8)}`);
    await pool().query(`UPDATE "Campaign" SET status = 'paused' WHERE id = $1`, [campaignId]);
    await recordPacing({ campaignId, domains: [{ domain: "slow.test", ratePerSecond: SLOW_RATE }] });
    expect(await pacingRows(campaignId)).toEqual([]);
  });

  it("names at most PACING_DOMAINS_SHOWN domains, the most recently waited on, in the order of their names", async () => {
    const campaignId = await insertRunningCampaign(`many ${randomUUID().slice(0, 8)}`);
    const rows = Array.from({ length: PACING_DOMAINS_SHOWN + 5 }, (_, i) => ({ domain: `d${String(i).padStart(3, "0")}.test`, ratePerSecond: i + 1, secondsAgo: i < 5 ? 5 : 0 }));
    await insertPacing({ campaignId, rows });
    const domains = (await campaignStats(campaignId))?.pacing?.domains.map(({ domain }) => domain);
    expect(domains).toEqual(rows.slice(5).map(({ domain }) => domain));
  });
});
