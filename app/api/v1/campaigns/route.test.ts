import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { POST as createRoute } from "@/app/api/v1/campaigns/route";
import { GET as statsRoute } from "@/app/api/v1/campaigns/[id]/route";
import { db } from "@/lib/db";
import { closePgPool } from "@/lib/pg";
import { callCampaignRoute } from "@/test/campaign-api";
import { TEST_ENV } from "@/test/test-env";

const TOKEN = TEST_ENV.PLATFORM_API_TOKEN;

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

describe("the campaign API", () => {
  it("rejects a missing or wrong token with 401", async () => {
    expect((await callCampaignRoute(createRoute, { body: { name: "x", channels: ["email"] }, token: null })).status).toBe(401);
    expect((await callCampaignRoute(createRoute, { body: { name: "x", channels: ["email"] }, token: "wrong-token" })).status).toBe(401);
    expect((await callCampaignRoute(statsRoute, { id: randomUUID(), token: `${TOKEN}x` })).status).toBe(401);
  });

  it("rejects bad bodies with 422, naming each field and the reason", async () => {
    const response = await callCampaignRoute(createRoute, { body: { name: "", channels: ["sms"], countries: ["US"] } });
    expect(response.status).toBe(422);
    const issues = (response.json.error as { issues: { field: string; reason: string }[] }).issues;
    expect(issues.map((issue) => issue.field).sort()).toEqual(["channels.0", "countries.0", "name"]);
    expect(issues.every((issue) => issue.reason.length > 10)).toBe(true);

    expect((await callCampaignRoute(createRoute, { body: { channels: [] } })).status).toBe(422);
    expect((await callCampaignRoute(createRoute, { body: "{not json" })).status).toBe(400);
  });
});
