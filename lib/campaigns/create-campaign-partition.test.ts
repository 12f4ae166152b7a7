import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { createCampaign } from "@/lib/campaigns/create-campaign";
import { db } from "@/lib/db";
import { closePgPool, pgPool } from "@/lib/pg";
import { createAdmin } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const partitionOf = async (campaignId: string) =>
  (await pgPool().query<{ partition: string | null }>(`SELECT to_regclass($1) AS partition`, [`"Notification_${campaignId.replaceAll("-", "")}"`])).rows[0]!.partition;

// A campaign's partition of Notification is made as the campaign is inserted (migration
// notification_partitions); attaching it locks Member, Objection and BounceReport against writes
// for a moment, waiting at most 5 s for writers that hold them.
describe("a campaign's partition", () => {
  it("is made with the campaign; while a long write holds members, the campaign is refused with a conflict (409) and nothing is created", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const created = await createCampaign({ actor: admin, campaign: { name: `test ${randomUUID()}`, channels: ["email"], countries: ["LI"] } });
    expect(await partitionOf(created.id)).toBe(`"Notification_${created.id.replaceAll("-", "")}"`);

    const importing = await pgPool().connect();
    const name = `busy ${randomUUID()}`;
    try {
      await importing.query(`BEGIN; LOCK TABLE "Member" IN ROW EXCLUSIVE MODE`);
      await expect(createCampaign({ actor: admin, campaign: { name, channels: ["email"], countries: ["LI"] } })).rejects.toMatchObject({
        code: "conflict",
        status: 409,
        message: expect.stringContaining("Try again in a minute"),
      });
    } finally {
      await importing.query("ROLLBACK");
      importing.release();
    }
    expect(await db().campaign.count({ where: { name } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "campaign_create", detail: { path: ["countries"], array_contains: ["LI"] } } })).toBe(1);
  });

  it("is made for each of several campaigns created at once, none waiting on another for ever", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const created = await Promise.all(
      Array.from({ length: 4 }, () => createCampaign({ actor: admin, campaign: { name: `test ${randomUUID()}`, channels: ["email"], countries: ["LI"] } })),
    );
    for (const { id } of created) expect(await partitionOf(id)).toBe(`"Notification_${id.replaceAll("-", "")}"`);
  });
});
