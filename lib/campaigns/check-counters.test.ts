import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR, systemActor } from "@/lib/auth/actor";
import { checkCounters } from "@/lib/campaigns/check-counters";
import { closePgPool, pgPool } from "@/lib/pg";
import { createCampaign, createMember, createNotification } from "@/test/factories";
import { TEST_ENV } from "@/test/test-env";

// The nightly check (lib/campaigns/check-counters.ts) recounts every counter from its rows: none
// differs after the app's own writes, and a counter made to drift is found with both values.

beforeAll(() => {
  Object.assign(process.env, { ...TEST_ENV, DATABASE_URL: process.env.DATABASE_URL });
});

afterAll(async () => {
  await closePgPool();
});

const actor = systemActor("counters-check");

const campaignWithNotices = async () => {
  const campaign = await createCampaign({ db: pgPool(), status: "running", launchedAt: "now", audienceAt: "now" });
  for (const status of ["queued", "sent", "failed"] as const) {
    const member = await createMember({ db: pgPool() });
    await createNotification({ db: pgPool(), memberId: member.id, campaignId: campaign.id, status });
  }
  return campaign.id;
};

describe("the counters' nightly check", () => {
  it("finds no drift after the rows were written as the app writes them", async () => {
    await campaignWithNotices();
    await pgPool().query(`INSERT INTO "Objection" (email, country, source) VALUES ('checked@example.eu', 'IE', 'direct')`);
    expect(await checkCounters({ actor })).toEqual([]);
  });

  it("finds a campaign's counter and a metric's counter that drifted, with both values", async () => {
    const campaignId = await campaignWithNotices();
    // Writes the triggers never see: a counter row added by hand.
    await pgPool().query(`INSERT INTO "CampaignCounter" ("campaignId", shard, sent) VALUES ($1, 15, 5) ON CONFLICT ("campaignId", shard) DO UPDATE SET sent = "CampaignCounter".sent + 5`, [campaignId]);
    await pgPool().query(`INSERT INTO "DashboardObjectionCounter" (country, status, source, shard, count) VALUES ('DE', 'withdrawn', 'direct', 15, 2) ON CONFLICT (country, status, source, shard) DO UPDATE SET count = "DashboardObjectionCounter".count + 2`);
    const drift = await checkCounters({ actor });
    expect(drift).toEqual(
      expect.arrayContaining([
        { campaignId, figure: "sent", counted: 6, recounted: 1 },
        { campaignId: null, figure: "objections_withdrawn", counted: 2, recounted: 0 },
      ]),
    );
    expect(drift).toHaveLength(2);
  });

  it("is the system's to run: the platform is refused", async () => {
    await expect(checkCounters({ actor: PLATFORM_ACTOR })).rejects.toMatchObject({ code: "forbidden" });
  });
});
