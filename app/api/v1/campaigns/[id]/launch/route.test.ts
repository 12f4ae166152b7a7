import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { POST as createRoute } from "@/app/api/v1/campaigns/route";
import { GET as statsRoute } from "@/app/api/v1/campaigns/[id]/route";
import { POST as launchRoute } from "@/app/api/v1/campaigns/[id]/launch/route";
import { POST as resumeRoute } from "@/app/api/v1/campaigns/[id]/resume/route";
import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { callCampaignRoute } from "@/test/campaign-api";

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

describe("the campaign API", () => {
  it("answers 404 for an unknown campaign and 409 for a launch of a launched one", async () => {
    expect((await callCampaignRoute(statsRoute, { id: randomUUID() })).status).toBe(404);
    expect((await callCampaignRoute(launchRoute, { id: "not-a-uuid" })).status).toBe(404);
    const created = await callCampaignRoute(createRoute, { body: { name: "twice", channels: ["email"], countries: ["LU"] } });
    const id = String(created.json.id);
    expect((await callCampaignRoute(launchRoute, { id })).status).toBe(202);
    const again = await callCampaignRoute(launchRoute, { id });
    expect(again.status).toBe(409);
    expect((again.json.error as { message: string }).message).toContain("only a draft can be launched");
    expect((await callCampaignRoute(resumeRoute, { id })).status).toBe(409);
  });
});
