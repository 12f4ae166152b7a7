import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { LINK_HOLDER, PLATFORM_ACTOR, systemActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { PERSONAL_LINK_KINDS } from "@/lib/links/open-personal-link";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { memberObjectionState } from "@/lib/objections/member-objection-state";
import { sendWithdrawalConfirmation } from "@/lib/objections/send-withdrawal-confirmation";
import { submitObjection } from "@/lib/objections/submit-objection";
import { withdrawMemberObjection } from "@/lib/objections/withdraw-member-objection";
import { withdrawObjection } from "@/lib/objections/withdraw-objection";
import { closePgPool } from "@/lib/pg";
import { fileSmtpSink } from "@/test/file-smtp-sink";

const smtp = fileSmtpSink();

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

const createMember = async (locale = "de") => {
  const externalId = `withdraw-${randomUUID()}`;
  return db().member.create({ data: { externalId, email: `${externalId}@example.eu`, country: "DE", birthDate: new Date("1990-05-17"), locale } });
};

const withdrawalJobs = (objectionId: string) =>
  db().$queryRawUnsafe<{ data: { objectionId: string } }[]>(`SELECT data FROM pgboss.job WHERE name = $1 AND data->>'objectionId' = $2`, QUEUES.objectionWithdrawal.name, objectionId);

const { messagesTo } = smtp;

describe("withdrawing an objection through the platform", () => {
  it("withdraws the live objection, erases its reason, records who, queues one confirmation, and a repeat changes nothing", async () => {
    const member = await createMember();
    expect((await memberObjectionState(member.externalId))?.state).toBe("none");
    const made = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, source: "in_app_setting", country: "DE", reason: "Meine Beiträge gehören mir." });
    expect(made.status).toBe("created");
    const objectionId = made.status === "created" ? made.objection.id : "";
    expect((await memberObjectionState(member.externalId))?.state).toBe("objected");

    const result = await withdrawMemberObjection({ actor: PLATFORM_ACTOR, externalId: member.externalId });
    expect(result).toMatchObject({ externalId: member.externalId, state: "withdrawn", withdrawn: true, objection: { id: objectionId, status: "withdrawn" } });

    const stored = await db().objection.findUniqueOrThrow({ where: { id: objectionId } });
    expect(stored.status).toBe("withdrawn");
    expect(stored.reason).toBeNull();
    expect(stored.withdrawnAt).toBeInstanceOf(Date);
    const events = await db().objectionEvent.findMany({ where: { objectionId, type: "withdrawn" } });
    expect(events.map(({ actorType, actorId }) => ({ actorType, actorId }))).toEqual([{ actorType: "platform", actorId: null }]);
    expect(await withdrawalJobs(objectionId)).toHaveLength(1);
    // The export's trigger marked the change in the same transaction: the next delta removes the objector.
    expect(await db().exportPending.count({ where: { objectionId } })).toBeGreaterThan(0);

    const again = await withdrawMemberObjection({ actor: PLATFORM_ACTOR, externalId: member.externalId });
    expect(again).toMatchObject({ state: "withdrawn", withdrawn: false });
    expect(await db().objectionEvent.count({ where: { objectionId, type: "withdrawn" } })).toBe(1);
    expect(await withdrawalJobs(objectionId)).toHaveLength(1);
  });

  it("confirms by email in the member's language, once, even if the job runs again", async () => {
    const member = await createMember("de");
    const made = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, source: "in_app_setting", country: "DE" });
    const objectionId = made.status === "created" ? made.objection.id : "";
    await withdrawMemberObjection({ actor: PLATFORM_ACTOR, externalId: member.externalId });

    expect(await sendWithdrawalConfirmation({ actor: systemActor(QUEUES.objectionWithdrawal.name), objectionId })).toEqual({ sent: true });
    expect(await sendWithdrawalConfirmation({ actor: systemActor(QUEUES.objectionWithdrawal.name), objectionId })).toEqual({ sent: false });
    const emails = messagesTo(member.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toBe("Sie haben Ihren Widerspruch gegen KI-Training zurückgezogen");
    expect(emails[0]?.text).toContain("Erneut widersprechen");
    expect(await db().objectionEvent.count({ where: { objectionId, type: "withdrawal_email_sent" } })).toBe(1);
  });

  it("links \"Object again\" to the member's own form (/o/<token> for this member), one click, not /object", async () => {
    const member = await createMember("en");
    const made = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, source: "in_app_setting", country: "DE" });
    const objectionId = made.status === "created" ? made.objection.id : "";
    await withdrawMemberObjection({ actor: PLATFORM_ACTOR, externalId: member.externalId });
    await sendWithdrawalConfirmation({ actor: systemActor(QUEUES.objectionWithdrawal.name), objectionId });

    const html = messagesTo(member.email)[0]?.html || "";
    expect(html).not.toContain(`${env().APP_URL}/object"`);
    const token = new RegExp(`href="${env().APP_URL}/o/([A-Za-z0-9_-]+)"`).exec(html)?.[1] ?? "";
    expect(verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: PERSONAL_LINK_KINDS })).toMatchObject({ ok: true, subject: { kind: "member", id: member.id } });
  });

  it("lets the member object again after withdrawing", async () => {
    const member = await createMember("en");
    await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, source: "in_app_setting", country: "DE" });
    await withdrawMemberObjection({ actor: PLATFORM_ACTOR, externalId: member.externalId });
    const renewed = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, source: "in_app_setting", country: "DE" });
    expect(renewed.status).toBe("created");
    expect(await memberObjectionState(member.externalId)).toMatchObject({ state: "objected", objection: { status: "effective" } });
  });

  it("is the platform's alone: an admin, or another member, withdraws nothing", async () => {
    const member = await createMember("en");
    const made = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, source: "direct", country: "DE" });
    const admin = { kind: "admin", id: randomUUID(), role: "admin" } as const;
    await expect(withdrawMemberObjection({ actor: admin, externalId: member.externalId })).rejects.toMatchObject({ code: "forbidden" });
    await expect(withdrawObjection({ actor: { kind: "member", memberId: randomUUID() }, memberId: member.id })).rejects.toMatchObject({ code: "forbidden" });
    expect(await memberObjectionState(member.externalId)).toMatchObject({ state: "objected", objection: { id: made.status === "created" ? made.objection.id : "" } });
  });

  it("answers null for an unknown member", async () => {
    expect(await withdrawMemberObjection({ actor: PLATFORM_ACTOR, externalId: `nobody-${randomUUID()}` })).toBeNull();
    expect(await memberObjectionState(`nobody-${randomUUID()}`)).toBeNull();
  });
});
