import { afterAll, describe, expect, it } from "vitest";

import { audienceEstimate } from "@/lib/campaigns/audience-estimate";
import { AUDIENCE_ESTIMATE_SQL } from "@/lib/campaigns/audience-estimate-sql";
import { audiencePreview } from "@/lib/campaigns/audience-preview";
import { ANY_EARLIER_REACH_SQL } from "@/lib/campaigns/audience-sql";
import { db } from "@/lib/db";
import { closePgPool, pgPool } from "@/lib/pg";
import { createAdmin, createCampaign, createMember } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

// The launch date: eligible are those born on or before 2008-12-10 (its UTC date, 18 years back).
const AT = new Date("2026-12-10T23:30:00Z");

const objection = async ({ memberId, email, country, status = "effective" }: { memberId: string | null; email: string; country: string; status?: string }) => {
  await pgPool().query(`INSERT INTO "Objection" ("memberId", email, country, source, status, "withdrawnAt") VALUES ($1, $2, $3, 'direct', $4::"ObjectionStatus", CASE WHEN $4 = 'withdrawn' THEN now() END)`, [memberId, email, country, status]);
};

/** Every table a plan reads ("Relation Name" anywhere in EXPLAIN's JSON). */
const tablesRead = async (sql: string, values: unknown[]) => {
  const { rows } = await pgPool().query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, values);
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "Relation Name" && typeof value === "string") names.add(value);
      else walk(value);
    }
  };
  walk(rows[0]!["QUERY PLAN"]);
  return [...names].sort();
};

describe("the audience estimate from the counters", () => {
  // First in the file: no campaign has reached anyone yet.
  it("leaves 'already reached' unknown, marks itself an estimate, and says whether any campaign reached anyone", async () => {
    const pool = pgPool();
    const admin = await createAdmin({ db: pool, role: "admin" });
    expect(await audienceEstimate({ actor: admin, countries: ["IS"], at: AT })).toEqual({ count: 0, alreadyReached: null, anyEarlierReach: false, estimated: true });
    const member = await createMember({ db: pool, country: "IS" });
    const earlier = await createCampaign({ db: pool, countries: ["IS"], status: "done", total: 1, launchedAt: "now", audienceAt: "now", completedAt: "now" });
    await pool.query(`INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch, "sentAt") VALUES ($1, $2, 'email', 'sent', 0, now())`, [member.id, earlier.id]);
    expect(await audienceEstimate({ actor: admin, countries: ["IS"], at: AT })).toEqual({ count: 1, alreadyReached: null, anyEarlierReach: true, estimated: true });
    // The draft's own notices are no earlier campaign's.
    expect((await audienceEstimate({ actor: admin, countries: ["IS"], campaignId: earlier.id, at: AT })).anyEarlierReach).toBe(false);
    await expect(audienceEstimate({ actor: await createAdmin({ db: pool, role: "viewer" }), countries: ["IS"] })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("agrees with the exact count where the approximation is exact: members of several countries, minors, live and withdrawn objections, a follow-up", async () => {
    const pool = pgPool();
    const admin = await createAdmin({ db: pool, role: "admin" });
    // Malta: three adults, a minor, an adult with a live objection, one whose objection was withdrawn.
    for (let i = 0; i < 3; i++) await createMember({ db: pool, country: "MT" });
    await createMember({ db: pool, country: "MT", birthDate: "2015-06-01" });
    const objector = await createMember({ db: pool, country: "MT" });
    await objection({ memberId: objector.id, email: objector.email, country: "MT" });
    const withdrawn = await createMember({ db: pool, country: "MT" });
    await objection({ memberId: withdrawn.id, email: withdrawn.email, country: "MT", status: "withdrawn" });
    // Luxembourg: 18 on the launch date (eligible), and one day short of it (a minor), beside two adults.
    const luxembourg = [await createMember({ db: pool, country: "LU" }), await createMember({ db: pool, country: "LU" }), await createMember({ db: pool, country: "LU", birthDate: "2008-12-10" })];
    await createMember({ db: pool, country: "LU", birthDate: "2008-12-11" });
    // Cyprus: an adult, and one whose address objected without an account link (still never told).
    await createMember({ db: pool, country: "CY" });
    const byAddress = await createMember({ db: pool, country: "CY" });
    await objection({ memberId: null, email: byAddress.email, country: "CY" });

    const both = async (countries: string[], notReachedBy?: string) => ({
      estimate: (await audienceEstimate({ actor: admin, countries, notReachedBy, at: AT })).count,
      exact: (await audiencePreview({ actor: admin, countries, notReachedBy, at: AT })).count,
    });
    expect(await both(["MT"])).toEqual({ estimate: 4, exact: 4 });
    expect(await both(["LU"])).toEqual({ estimate: 3, exact: 3 });
    expect(await both(["CY"])).toEqual({ estimate: 1, exact: 1 });
    expect(await both(["MT", "LU", "CY"])).toEqual({ estimate: 8, exact: 8 });
    // No country chosen: every EEA country, with the first test's member in Iceland too.
    const everywhere = await both([]);
    expect(everywhere.estimate).toBe(everywhere.exact);
    expect(everywhere.exact).toBeGreaterThanOrEqual(8);

    // A follow-up of a finished campaign to Luxembourg that reached one of its three members (an
    // email accepted), not the others (one failed, one bounced): its total minus those reached.
    const earlier = await createCampaign({ db: pool, countries: ["LU"], status: "done", total: 3, launchedAt: "now", audienceAt: "now", completedAt: "now" });
    await pool.query(
      `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch, "sentAt", "bounceKind", "bouncedAt")
       VALUES ($1, $4, 'email', 'sent', 0, now(), NULL, NULL), ($2, $4, 'email', 'failed', 0, NULL, NULL, NULL), ($3, $4, 'email', 'sent', 0, now(), 'hard', now())`,
      [luxembourg[0]!.id, luxembourg[1]!.id, luxembourg[2]!.id, earlier.id],
    );
    expect(await both(["LU"], earlier.id)).toEqual({ estimate: 2, exact: 2 });
  });

  it("reads only counter tables and the earlier campaign's row, never the members, notifications or objections", async () => {
    const values = [["MT", "LU"], AT, "00000000-0000-0000-0000-000000000000"];
    expect(await tablesRead(AUDIENCE_ESTIMATE_SQL, values)).toEqual(["Campaign", "CampaignCounter", "DashboardBirthCounter", "DashboardMemberCounter", "DashboardObjectionCounter"]);
    expect(await tablesRead(ANY_EARLIER_REACH_SQL, [null])).toEqual(["CampaignCounter"]);
  });
});
