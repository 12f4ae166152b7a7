import { randomUUID } from "node:crypto";

import type pg from "pg";
import yauzl from "yauzl";
import yazl from "yazl";

import { createCampaign, createMember } from "@/test/factories";

// A small campaign with notices in every state the evidence pack reports, and ZIP helpers for
// reading and rebuilding a pack. Plain SQL and the ZIP libraries: no app code.

export type TEvidenceMember = { id: string; externalId: string; email: string; noticeId: string };

const LAUNCHED = "2026-11-02T09:00:00.000Z";

/** One notice: a member of its own, the notice's columns as given. */
const notice = async ({ pool, campaignId, channel = "email", columns }: { pool: pg.Pool; campaignId: string; channel?: "email" | "in_app"; columns: Record<string, unknown> }) => {
  const member = await createMember({ db: pool, externalId: `ev-${randomUUID()}` });
  const names = Object.keys(columns);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Notification" ("memberId", "campaignId", channel, locale, "noticeVersion", ${names.map((name) => `"${name}"`).join(", ")})
     VALUES ($1, $2, $3, 'en', 'v-test-1', ${names.map((_, index) => `$${index + 4}`).join(", ")}) RETURNING id`,
    [member.id, campaignId, channel, ...Object.values(columns)],
  );
  return { id: member.id, externalId: member.externalId, email: member.email, noticeId: rows[0]!.id };
};

/**
 * A done campaign: an email sent (with the relay's reply), one bounced hard, one drew a complaint,
 * one seen, one clicked, one failed, an in-app notice seen and one unseen; objections through
 * three notices (one effective, one withdrawn, one rejected with a reason naming an address), and
 * audit events for it and for another campaign.
 */
export const seedEvidenceCampaign = async ({ pool, adminId }: { pool: pg.Pool; adminId: string }) => {
  const campaign = await createCampaign({ db: pool, channels: ["email", "in_app"], status: "done", total: 8, launchedAt: new Date(LAUNCHED), audienceAt: new Date(LAUNCHED), completedAt: new Date("2026-11-03T18:00:00.000Z") });
  const campaignId = campaign.id;
  const sent = "2026-11-02T09:05:00.000Z";
  const members = {
    sent: await notice({ pool, campaignId, columns: { status: "sent", sentAt: sent, relayReply: "250 2.0.0 Ok: queued as 4QX1" } }),
    bounced: await notice({ pool, campaignId, columns: { status: "sent", sentAt: sent, bounceKind: "hard", bouncedAt: "2026-11-02T09:06:00.000Z", bounceStatus: "5.1.1" } }),
    complaint: await notice({ pool, campaignId, columns: { status: "sent", sentAt: sent, bounceKind: "complaint", bouncedAt: "2026-11-02T10:00:00.000Z", bounceStatus: "abuse" } }),
    seen: await notice({ pool, campaignId, columns: { status: "seen", sentAt: sent, seenAt: "2026-11-02T11:00:00.000Z" } }),
    clicked: await notice({ pool, campaignId, columns: { status: "clicked", sentAt: sent, seenAt: "2026-11-02T12:00:00.000Z", clickedAt: "2026-11-02T12:01:00.000Z" } }),
    failed: await notice({ pool, campaignId, columns: { status: "failed", attempts: 3, lastError: "550 mailbox unavailable" } }),
    inAppSeen: await notice({ pool, campaignId, channel: "in_app", columns: { status: "sent", sentAt: sent, seenAt: "2026-11-02T13:00:00.000Z" } }),
    inAppUnseen: await notice({ pool, campaignId, channel: "in_app", columns: { status: "sent", sentAt: sent } }),
  };
  const objection = async (member: TEvidenceMember, columns: Record<string, unknown>) => {
    const names = Object.keys(columns);
    await pool.query(
      `INSERT INTO "Objection" ("memberId", "notificationId", "campaignId", email, country, source, "effectiveAt"${names.map((name) => `, "${name}"`).join("")})
       VALUES ($1, $2, $3, $4, 'IE', 'email_link', '2026-11-02T12:02:00Z'${names.map((_, index) => `, $${index + 5}`).join("")})`,
      [member.id, member.noticeId, campaignId, member.email, ...Object.values(columns)],
    );
  };
  await objection(members.clicked, {});
  await objection(members.seen, { status: "withdrawn", withdrawnAt: "2026-11-03T08:00:00Z" });
  const rejectionReason = `Not the account holder: the objection came from ${members.sent.email}'s device`;
  await objection(members.sent, { status: "rejected", rejectedAt: "2026-11-03T09:00:00Z", rejectionReason, rejectionRequestedBy: adminId, rejectionRequestedAt: "2026-11-03T08:30:00Z" });

  const other = await createCampaign({ db: pool, status: "done" });
  await pool.query(
    `INSERT INTO "AuditEvent" ("actorType", "actorId", "actorJob", action, "targetType", "targetId", detail, "createdAt") VALUES
       ('admin', $1, NULL, 'campaign_create', 'campaign', $2, NULL, '2026-11-01T10:00:00Z'),
       ('admin', $1, NULL, 'campaign_launch', 'campaign', $2, '{"onlyNotYetReached": false}', $4),
       ('system', NULL, 'campaign-send', 'domain_pause', 'campaign', $2, '{"domain": "example.eu", "note": "paused for x@example.eu"}', '2026-11-02T09:30:00Z'),
       ('admin', $1, NULL, 'campaign_launch', 'campaign', $3, NULL, $4)`,
    [adminId, campaignId, other.id, LAUNCHED],
  );
  return { campaignId, otherCampaignId: other.id, members, rejectionReason };
};

export type TZipEntry = { name: string; data: Buffer };

/** A ZIP's entries in order, each read whole (for the small packs of the tests). */
export const readZipEntries = async (zip: Buffer) => {
  const file = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(zip, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))));
  const entries: TZipEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    file.on("entry", (entry: yauzl.Entry) => {
      file.openReadStream(entry, async (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
        file.readEntry();
      });
    });
    file.on("end", resolve);
    file.on("error", reject);
    file.readEntry();
  });
  return entries;
};

/** A new ZIP of these entries, in this order. */
export const writeZip = async (entries: TZipEntry[]) => {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};
