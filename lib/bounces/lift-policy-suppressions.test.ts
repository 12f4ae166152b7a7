import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createCampaign } from "@/test/factories";

// The data migration that moved the suppressions recorded under the old rule (any 5.x.x hard, soft
// bounces without a window) to the new one; run again here over rows written the old way.
const MIGRATION = readFileSync("prisma/migrations/20261206134900_lift_policy_suppressions/migration.sql", "utf8");

let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});

afterAll(async () => {
  await pool.end();
});

/** A member with one email notice that bounced `hard` with `status` under the old rule, and the suppression it wrote. */
const bouncedTheOldWay = async (status: string) => {
  const externalId = `lift-${randomUUID()}`;
  const campaign = await createCampaign({ db: pool, channels: ["email"], status: "done" });
  const { rows } = await pool.query<{ memberId: string; id: string }>(
    `WITH m AS (INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'DE', '1980-01-01') RETURNING id),
          n AS (INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt", "bounceKind", "bouncedAt", "bounceStatus")
                SELECT id, $3, 'email', 'sent', now(), 'hard', now(), $2 FROM m RETURNING id, "memberId")
     INSERT INTO "EmailSuppression" ("memberId", reason, "notificationId") SELECT "memberId", 'hard_bounce', id FROM n RETURNING "memberId", "notificationId" AS id`,
    [externalId, status, campaign.id],
  );
  return rows[0]!;
};

const stateOf = async ({ memberId, id }: { memberId: string; id: string }) =>
  (
    await pool.query<{ suppressed: boolean; bounceKind: string }>(
      `SELECT EXISTS (SELECT 1 FROM "EmailSuppression" WHERE "memberId" = $1) AS suppressed, "bounceKind" FROM "Notification" WHERE id = $2`,
      [memberId, id],
    )
  ).rows[0]!;

describe("moving the suppressions recorded so far to the new rule", () => {
  it("keeps those whose status says the address is wrong, lifts the others, and calls policy refusals rejected", async () => {
    const wrongAddress = await bouncedTheOldWay("5.1.1");
    const disabled = await bouncedTheOldWay("5.2.1");
    const blocklisted = await bouncedTheOldWay("5.7.1");
    const fullMailbox = await bouncedTheOldWay("5.2.2");
    const softThreeTimes = await bouncedTheOldWay("4.2.2");
    const { rows } = await pool.query<{ memberId: string }>(
      `WITH m AS (INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'DE', '1980-01-01') RETURNING id)
       INSERT INTO "EmailSuppression" ("memberId", reason) SELECT id, 'unsubscribe' FROM m RETURNING "memberId"`,
      [`lift-${randomUUID()}`],
    );

    await pool.query(MIGRATION);

    expect(await stateOf(wrongAddress)).toEqual({ suppressed: true, bounceKind: "hard" });
    expect(await stateOf(disabled)).toEqual({ suppressed: true, bounceKind: "hard" });
    expect(await stateOf(blocklisted)).toEqual({ suppressed: false, bounceKind: "rejected" });
    expect(await stateOf(fullMailbox)).toEqual({ suppressed: false, bounceKind: "rejected" });
    expect(await stateOf(softThreeTimes)).toEqual({ suppressed: false, bounceKind: "hard" });
    const unsubscribed = await pool.query(`SELECT 1 FROM "EmailSuppression" WHERE "memberId" = $1`, [rows[0]!.memberId]);
    expect(unsubscribed.rowCount).toBe(1);
  });

  it("lifts a hard bounce when the member's address changes, and keeps a complaint", async () => {
    const bounced = await bouncedTheOldWay("5.1.1");
    await pool.query(`UPDATE "Member" SET country = 'AT' WHERE id = $1`, [bounced.memberId]);
    expect((await stateOf(bounced)).suppressed).toBe(true);
    await pool.query(`UPDATE "Member" SET email = 'new-' || email WHERE id = $1`, [bounced.memberId]);
    expect((await stateOf(bounced)).suppressed).toBe(false);

    const complained = await bouncedTheOldWay("5.1.1");
    await pool.query(`UPDATE "EmailSuppression" SET reason = 'complaint' WHERE "memberId" = $1`, [complained.memberId]);
    await pool.query(`UPDATE "Member" SET email = 'new-' || email WHERE id = $1`, [complained.memberId]);
    expect((await stateOf(complained)).suppressed).toBe(true);
  });
});
