import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ATTENTION_CAP, attentionCount, attentionLines, type TNeedsAttention } from "@/lib/dashboard/attention-lines";
import { readNeedsAttention } from "@/lib/dashboard/needs-attention";
import { NEEDS_ATTENTION_SQL } from "@/lib/dashboard/needs-attention-sql";
import { closePgPool } from "@/lib/pg";
import { createAdmin, createCampaign } from "@/test/factories";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// The counts are of the whole database, so this file has a database of its own.
let database: { name: string; url: string };
let pool: pg.Pool;

const viewer = { kind: "admin" as const, id: "00000000-0000-4000-8000-000000000001", role: "viewer" as const };
const nothing: TNeedsAttention = { rejectionsPending: 0, unmatched: 0, campaigns: { count: 0, failed: 0 }, domainsPaused: { count: 0, campaignId: null }, export: null };

const objection = async ({ matched = true, status = "effective", pending = false }: { matched?: boolean; status?: string; pending?: boolean }) => {
  const member = matched
    ? (await pool.query<{ id: string }>(`INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES (gen_random_uuid()::text, 'm@example.eu', 'DE', '1980-01-01') RETURNING id`)).rows[0]!.id
    : null;
  const reviewer = pending ? (await createAdmin({ db: pool, role: "reviewer" })).id : null;
  await pool.query(
    `INSERT INTO "Objection" ("memberId", email, country, source, status, "withdrawnAt", "rejectionReason", "rejectionRequestedBy", "rejectionRequestedAt")
     VALUES ($1, 'x@example.eu', 'DE', 'direct', $2::"ObjectionStatus", CASE WHEN $2::text = 'withdrawn' THEN now() END, CASE WHEN $3::uuid IS NOT NULL THEN 'spam' END, $3::uuid, CASE WHEN $3::uuid IS NOT NULL THEN now() END)`,
    [member, status, reviewer],
  );
};

const domainPause = (campaignId: string, domain: string) =>
  pool.query(`INSERT INTO "CampaignDomainPause" ("campaignId", domain, sent, rejected) VALUES ($1, $2, 100, 60)`, [campaignId, domain]);

beforeAll(async () => {
  database = await createTestDatabase("objection_attention");
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
});

describe("the dashboard's Needs attention", () => {
  it("says nothing needs attention on a fresh install", async () => {
    expect(await readNeedsAttention({ actor: viewer })).toEqual({ rejectionsPending: 0, unmatched: 0, campaigns: { count: 0, failed: 0 }, domainsPaused: { count: 0, campaignId: null } });
    expect(attentionLines(nothing)).toEqual([]);
  });

  it("counts what waits for a person, and only that, each linking to its filtered list", async () => {
    await objection({ pending: true });
    await objection({ pending: true, matched: false });
    await objection({ status: "withdrawn", matched: false });
    await objection({});
    const running = await createCampaign({ db: pool, status: "running" });
    await createCampaign({ db: pool, status: "paused" });
    await createCampaign({ db: pool, status: "failed", failureReason: "SMTP down" });
    const done = await createCampaign({ db: pool, status: "done" });
    await domainPause(running.id, "gmail.com");
    await domainPause(running.id, "outlook.com");
    // A finished campaign's pause holds nothing back any more.
    await domainPause(done.id, "web.de");

    const attention = await readNeedsAttention({ actor: viewer });
    // Two rejections wait (one of them on an unmatched objection); one unmatched objection is live, one withdrawn.
    expect(attention).toEqual({ rejectionsPending: 2, unmatched: 1, campaigns: { count: 2, failed: 1 }, domainsPaused: { count: 2, campaignId: running.id } });

    const lines = attentionLines({ ...attention, export: { kind: "failed", message: "The last export failed. The pipeline still has the previous list." } });
    expect(lines).toEqual([
      { key: "export", text: "The last export failed. The pipeline still has the previous list.", href: "/admin/exports", tone: "danger" },
      { key: "campaigns", text: "2 campaigns are not sending: 1 failed, 1 paused", href: "/admin/campaigns?status=attention", tone: "danger" },
      { key: "domains", text: "2 recipient domains are paused after refusing a campaign's emails", href: `/admin/campaigns/${running.id}`, tone: "warning" },
      { key: "rejections", text: "2 rejections wait for a second reviewer", href: "/admin/objections?status=rejection_pending", tone: "warning" },
      { key: "unmatched", text: "1 objection is not matched to an account", href: "/admin/objections?status=unmatched", tone: "warning" },
    ]);

    // Paused domains in two campaigns link to the list of campaigns holding one back.
    const other = await createCampaign({ db: pool, status: "running" });
    await domainPause(other.id, "gmx.de");
    const spread = await readNeedsAttention({ actor: viewer });
    expect(spread.domainsPaused).toEqual({ count: 3, campaignId: null });
    expect(attentionLines({ ...nothing, domainsPaused: spread.domainsPaused })[0]?.href).toBe("/admin/campaigns?status=domains_paused");
  });

  it("stops counting past the cap and says so: 100+", async () => {
    await pool.query(`INSERT INTO "Objection" (email, country, source) SELECT 'n' || i || '@example.eu', 'AT', 'gpc' FROM generate_series(1, $1::int) i`, [ATTENTION_CAP + 20]);
    const { unmatched } = await readNeedsAttention({ actor: viewer });
    expect(unmatched).toBe(ATTENTION_CAP + 1);
    expect(attentionCount(unmatched)).toBe("100+");
    expect(attentionCount(ATTENTION_CAP)).toBe("100");
    expect(attentionLines({ ...nothing, unmatched })[0]?.text).toBe("100+ objections are not matched to an account");
  });

  it("reads the objections through their partial indexes, never a scan of the table", async () => {
    const client = await pool.connect();
    try {
      // With few rows a scan is cheaper; forbidding it shows which index the query can use.
      await client.query("SET enable_seqscan = off");
      const plan = (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${NEEDS_ATTENTION_SQL}`, [ATTENTION_CAP + 1])).rows.map((row) => row["QUERY PLAN"]).join("\n");
      expect(plan).toContain("Objection_rejection_pending_idx");
      expect(plan).toContain("Objection_unmatched_idx");
      expect(plan).toContain("Campaign_needs_attention_idx");
      expect(plan).not.toMatch(/Seq Scan on "Objection"/);
    } finally {
      client.release();
    }
  });
});
