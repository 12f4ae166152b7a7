import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/db";
import { findMemberByExternalId } from "@/lib/members/find-member-by-external-id";
import { getMemberDetail } from "@/lib/members/get-member-detail";
import { objectionMemberNotices } from "@/lib/members/objection-member-notices";
import { closePgPool, pgPool } from "@/lib/pg";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const viewer = { kind: "admin" as const, id: randomUUID(), role: "viewer" as const };

const createMember = async () => {
  const externalId = `member-detail-${randomUUID()}`;
  const { rows } = await pgPool().query<{ id: string }>(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale) VALUES ($1, 'jane.' || $1 || '@example.eu', 'FR', '1980-01-01', 'fr') RETURNING id`,
    [externalId],
  );
  return { id: rows[0]!.id, externalId };
};

describe("a member in the console", () => {
  it("shows the member masked, their objections, their suppression and every notice; the lookup and the objection page find the same", async () => {
    const member = await createMember();
    const pool = pgPool();
    const { rows: campaigns } = await pool.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, countries) VALUES ($1, '{email,in_app}', '{FR}') RETURNING id`, [`detail ${member.externalId}`]);
    const { rows: notices } = await pool.query<{ id: string }>(
      `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "createdAt", "sentAt", "relayReply", "bounceKind", "bouncedAt", "bounceStatus", "bounceDiagnostic", "softBounces", locale, "noticeVersion")
       VALUES ($1, $2, 'email', 'sent', '2026-02-01T09:00:00Z', '2026-02-01T09:00:02Z', '250 2.0.0 Ok: queued as Q1', 'complaint', '2026-02-02T09:00:00Z', 'abuse', NULL, 2, 'fr', 'abcdef0123456789')
       RETURNING id`,
      [member.id, campaigns[0]!.id],
    );
    await pool.query(`INSERT INTO "EmailSuppression" ("memberId", reason, "notificationId", "createdAt") VALUES ($1, 'complaint', $2, '2026-02-02T09:00:00Z')`, [member.id, notices[0]!.id]);
    const { rows: objections } = await pool.query<{ id: string }>(`INSERT INTO "Objection" ("memberId", email, country, source) VALUES ($1, 'jane.' || $2 || '@example.eu', 'FR', 'direct') RETURNING id`, [member.id, member.externalId]);

    const detail = await getMemberDetail({ actor: viewer, memberId: member.id });
    expect(detail).toMatchObject({ id: member.id, externalId: member.externalId, maskedEmail: "j•••@example.eu", country: "FR", locale: "fr" });
    expect(detail.objections).toEqual([expect.objectContaining({ id: objections[0]!.id, status: "effective", spam: false })]);
    expect(detail.suppression).toEqual({ reason: "complaint", at: new Date("2026-02-02T09:00:00Z"), notificationId: notices[0]!.id });
    expect(detail.notices).toEqual([
      expect.objectContaining({ id: notices[0]!.id, campaign: { id: campaigns[0]!.id, name: `detail ${member.externalId}` }, relayReply: "250 2.0.0 Ok: queued as Q1", softBounces: 2, bounce: { kind: "complaint", status: "abuse", at: new Date("2026-02-02T09:00:00Z"), diagnostic: null } }),
    ]);
    expect(JSON.stringify(detail)).not.toContain("jane.");

    expect(await findMemberByExternalId({ actor: viewer, externalId: member.externalId })).toEqual({ id: member.id });
    expect(await findMemberByExternalId({ actor: viewer, externalId: member.externalId.toUpperCase() })).toBeNull();
    expect(await findMemberByExternalId({ actor: viewer, externalId: "" })).toBeNull();

    const fromObjection = await objectionMemberNotices({ actor: viewer, objectionId: objections[0]!.id });
    expect(fromObjection).toEqual({ memberId: member.id, suppression: detail.suppression, notices: detail.notices });
  });

  it("answers not found for an unknown or malformed member id, and nothing for an unmatched objection", async () => {
    for (const memberId of [randomUUID(), "nope", "1 OR 1=1"]) {
      await expect(getMemberDetail({ actor: viewer, memberId })).rejects.toMatchObject({ code: "not_found" });
    }
    const member = await createMember();
    const detail = await getMemberDetail({ actor: viewer, memberId: member.id });
    expect(detail).toMatchObject({ notices: [], objections: [], suppression: null });

    const { rows } = await pgPool().query<{ id: string }>(`INSERT INTO "Objection" (email, country, source) VALUES ($1, 'FR', 'direct') RETURNING id`, [`${randomUUID()}@example.eu`]);
    expect(await objectionMemberNotices({ actor: viewer, objectionId: rows[0]!.id })).toBeNull();
    expect(await objectionMemberNotices({ actor: viewer, objectionId: "nope" })).toBeNull();
  });

  it("is refused to an actor without a console role", async () => {
    const outsider = { kind: "admin" as const, id: randomUUID(), role: "none" as never };
    await expect(getMemberDetail({ actor: outsider, memberId: randomUUID() })).rejects.toBeInstanceOf(AppError);
  });
});
