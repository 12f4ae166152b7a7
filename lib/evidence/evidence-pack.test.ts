import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { parse } from "csv-parse/sync";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { GET, HEAD } from "@/app/admin/(console)/campaigns/[id]/evidence/route";
import type { TCurrentAdmin } from "@/lib/auth/current-admin";
import { chainAuditLogs } from "@/lib/audit/chain-audit-log";
import { db } from "@/lib/db";
import { maxPacksAtOnce } from "@/lib/evidence/download-evidence-pack";
import { EVIDENCE_FILES, EVIDENCE_MANIFEST, ZEvidenceManifest } from "@/lib/evidence/evidence-manifest";
import { NOTICE_COLUMNS } from "@/lib/evidence/evidence-sql";
import { verifyEvidencePack } from "@/lib/evidence/verify-evidence-pack";
import { closePgPool, pgPool } from "@/lib/pg";
import { readZipEntries, seedEvidenceCampaign } from "@/test/evidence-fixtures";
import { TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { createAdmin, createCampaign, type TTestAdmin } from "@/test/factories";
import { waitUntil } from "@/test/campaign-fixtures";

// The session is the one thing stood in for: the route handler, the database and the ZIP are real.
const session = vi.hoisted(() => ({ admin: null as TCurrentAdmin | null }));
vi.mock("@/lib/auth/current-admin", () => ({ currentAdmin: async () => session.admin }));

let pool: pg.Pool;
let admin: TTestAdmin;
let seeded: Awaited<ReturnType<typeof seedEvidenceCampaign>>;

const download = (id: string, as: TTestAdmin | null) => {
  session.admin = as;
  return GET(new Request(`http://localhost:3999/admin/campaigns/${id}/evidence`), { params: Promise.resolve({ id }) });
};

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  admin = await createAdmin({ db: pool, role: "admin" });
  seeded = await seedEvidenceCampaign({ pool, adminId: admin.id });
  await chainAuditLogs({ pool });
});

afterAll(async () => {
  await db().$disconnect();
  await closePgPool();
  await pool.end();
});

describe("GET /admin/campaigns/<id>/evidence", () => {
  it("streams a signed ZIP of the campaign's notices, summary and audit events, without an address, and audits the download first", async () => {
    const response = await download(seeded.campaignId, admin);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="campaign-${seeded.campaignId}-evidence.zip"`);
    // Audited before a byte is read.
    const audits = await pool.query(`SELECT "actorType", "actorId", "targetType", "targetId" FROM "AuditEvent" WHERE action = 'evidence_download'`);
    expect(audits.rows).toEqual([{ actorType: "admin", actorId: admin.id, targetType: "campaign", targetId: seeded.campaignId }]);

    const zip = await bytesOf(response);
    const entries = await readZipEntries(zip);
    expect(entries.map((entry) => entry.name)).toEqual([...EVIDENCE_FILES, EVIDENCE_MANIFEST]);
    const text = (name: string) => entries.find((entry) => entry.name === name)!.data.toString("utf8");

    const notices = parse(text("notices.csv"), { columns: true }) as Record<string, string>[];
    expect(Object.keys(notices[0]!)).toEqual([...NOTICE_COLUMNS]);
    expect(notices).toHaveLength(8);
    const row = (key: keyof typeof seeded.members) => notices.find((notice) => notice.member_external_id === seeded.members[key].externalId)!;
    expect(row("sent")).toMatchObject({ notice_id: seeded.members.sent.noticeId, channel: "email", status: "sent", language: "en", notice_version: "v-test-1", sent_at: "2026-11-02T09:05:00.000Z", relay_reply: "250 2.0.0 Ok: queued as 4QX1", bounce_kind: "", seen_at: "" });
    expect(row("bounced")).toMatchObject({ bounce_kind: "hard", bounced_at: "2026-11-02T09:06:00.000Z", bounce_status: "5.1.1" });
    expect(row("complaint")).toMatchObject({ bounce_kind: "complaint", bounce_status: "abuse" });
    expect(row("clicked")).toMatchObject({ status: "clicked", seen_at: "2026-11-02T12:00:00.000Z", clicked_at: "2026-11-02T12:01:00.000Z" });
    expect(row("failed")).toMatchObject({ status: "failed", sent_at: "", relay_reply: "" });
    expect(row("inAppSeen")).toMatchObject({ channel: "in_app", seen_at: "2026-11-02T13:00:00.000Z" });

    const summary = JSON.parse(text("summary.json"));
    expect(summary).toMatchObject({
      campaign: { id: seeded.campaignId, status: "done", launchedAt: "2026-11-02T09:00:00.000Z", completedAt: "2026-11-03T18:00:00.000Z" },
      notices: 8,
      // Emails accepted and not bounced (sent, seen, clicked), and the in-app notice seen.
      reached: 4,
      emails: { queued: 0, sent: 5, failed: 1, skipped: 0 },
      seen: 3,
      clicked: 1,
      bounces: { hard: 1, complaint: 1, rejected: 0 },
      objections: { throughNotices: 3, withdrawn: 1, rejected: 1, allSourcesOnCampaignDays: { from: "2026-11-02", to: "2026-11-03", count: 3 } },
      rejectionsListed: "all",
    });
    expect(summary.rejections).toEqual([{ objectionId: expect.any(String), rejectedAt: "2026-11-03T09:00:00.000Z", reason: "Not the account holder: the objection came from [address]'s device" }]);

    const audit = text("audit.jsonl").trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(audit.map((event) => event.action)).toEqual(["campaign_create", "campaign_launch", "domain_pause", "evidence_download"]);
    expect(audit[2]).toMatchObject({ actorType: "system", actorJob: "campaign-send", detail: { domain: "example.eu", note: "paused for [address]" } });
    expect(audit[3]).toMatchObject({ actorType: "admin", actorId: admin.id });
    // Each line names its place in the audit chain: the campaign's events were chained before the
    // download, the download's own event is not yet.
    const chained = await pool.query<{ chainSeq: string; hash: string }>(
      `SELECT "chainSeq"::text AS "chainSeq", encode(hash, 'hex') AS hash FROM "AuditEvent" WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [audit.slice(0, 3).map((event) => event.id)],
    );
    expect(audit.slice(0, 3).map(({ chainSeq, hash }) => ({ chainSeq, hash }))).toEqual(chained.rows);
    expect(chained.rows.every((row) => row.chainSeq && /^[0-9a-f]{64}$/.test(row.hash))).toBe(true);
    expect(audit[3]).toMatchObject({ chainSeq: null, hash: null });

    const manifest = ZEvidenceManifest.parse(JSON.parse(text(EVIDENCE_MANIFEST)));
    expect(manifest.campaignId).toBe(seeded.campaignId);
    expect(manifest.files.map((file) => [file.name, file.rows])).toEqual([["notices.csv", 8], ["summary.json", null], ["audit.jsonl", 4]]);
    expect(manifest.files.find((file) => file.name === "notices.csv")!.bytes).toBe(Buffer.byteLength(text("notices.csv")));

    // No address anywhere: not in the ZIP's bytes, nor in any file once inflated.
    const addresses = Object.values(seeded.members).map((member) => member.email);
    const everything = Buffer.concat([zip, ...entries.map((entry) => entry.data)]);
    for (const address of [...addresses, "x@example.eu"]) expect(everything.includes(address), address).toBe(false);
    expect(everything.includes(admin.email)).toBe(false);

    const file = path.join(mkdtempSync(path.join(tmpdir(), "evidence-")), "pack.zip");
    writeFileSync(file, zip);
    const verified = await verifyEvidencePack({ zipPath: file, publicKey: TEST_PUBLIC_KEY });
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
  });

  it("is refused to a viewer (403) and to no session (401), and is 404 for an unknown or malformed id, none of them audited", async () => {
    const viewer = await createAdmin({ db: pool, role: "viewer" });
    const refused = await download(seeded.campaignId, viewer);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
    expect((await download(seeded.campaignId, null)).status).toBe(401);
    const unknown = await download(randomUUID(), admin);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toBe("No campaign has this id.");
    expect((await download("not-a-campaign", admin)).status).toBe(404);
    // HEAD is not GET without a body here: it would audit a download and open a pack for nothing.
    expect(HEAD().status).toBe(405);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE action = 'evidence_download' AND "actorId" <> $1`, [admin.id]);
    expect(rows[0]!.n).toBe(0);
    // A reviewer may.
    const reviewer = await createAdmin({ db: pool, role: "reviewer" });
    const allowed = await download(seeded.campaignId, reviewer);
    expect(allowed.status).toBe(200);
    await allowed.arrayBuffer();
  });

  it("ends the database's work when the client goes away mid-stream: the COPY stops and the connection leaves the pool", async () => {
    // Enough notices that the pack outgrows what the sockets and streams between here and the
    // COPY hold while nobody reads: 4,000 did not, 10,000 did; 40,000 for room.
    const { id: campaignId } = await createCampaign({ db: pool, status: "done", total: 40_000 });
    await pool.query(
      `WITH m AS (INSERT INTO "Member" ("externalId", email, country, "birthDate") SELECT 'big-' || i, 'big-' || i || '@example.eu', 'IE', '1980-01-01' FROM generate_series(1, 40000) AS i RETURNING id)
       INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt", "relayReply") SELECT id, $1, 'email', 'sent', now(), '250 2.0.0 Ok: queued as ' || md5(id::text) FROM m`,
      [campaignId],
    );
    const copies = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%COPY (%' AND pid <> pg_backend_pid()`)).rows[0]!.n;
    const response = await download(campaignId, admin);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    // The ZIP waits on its reader, so the COPY is still open, its connection checked out.
    expect(await copies()).toBe(1);
    expect(pgPool().totalCount - pgPool().idleCount).toBe(1);
    // DATABASE_POOL_SIZE is 4 in the tests: one pack at a time, the rest of the pool kept for the console.
    expect(maxPacksAtOnce()).toBe(1);
    const second = await download(seeded.campaignId, admin);
    expect(second.status).toBe(429);
    expect((await second.json()).error.message).toMatch(/already streaming 1 evidence pack/);
    await reader.cancel();
    await waitUntil({ check: async () => (await copies()) === 0, timeoutMs: 5_000, what: "the COPY to end" });
    expect(pgPool().totalCount - pgPool().idleCount).toBe(0);
    // Its place is free again.
    const third = await download(seeded.campaignId, admin);
    expect(third.status).toBe(200);
    await third.arrayBuffer();
  });
});
