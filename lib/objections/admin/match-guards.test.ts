import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { formatDateTimeFor } from "@/lib/i18n/date-format";
import { stopJobs } from "@/lib/jobs";
import { getObjectionDetail } from "@/lib/objections/admin/get-objection-detail";
import { matchObjection } from "@/lib/objections/admin/match-objection";
import { previewMatch } from "@/lib/objections/admin/preview-match";
import { unmatchObjection } from "@/lib/objections/admin/unmatch-objection";
import { pgPool } from "@/lib/pg";
import { createAdmin, createMember } from "@/test/factories";
import de from "@/messages/de.json";
import { adminError, auditOf, createMatchedObjection, createUnmatchedObjection, eventsOf } from "@/test/objection-admin-fixtures";

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
});

const reviewer = () => createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.guards.test" });
const viewer = () => createAdmin({ db: pgPool(), role: "viewer", domain: "staff.guards.test" });

/** A member with the objection's own address and country (FR), unless told otherwise. */
const memberFor = ({ email, country = "FR", locale = "fr" }: { email: string; country?: string; locale?: string | null }) =>
  createMember({ db: pgPool(), externalId: `guard-${randomUUID()}`, email, country, locale });

describe("the match preview", () => {
  it("shows the member by external id (address masked, country, language, their objections) and no warning when they agree", async () => {
    const actor = await reviewer();
    const email = `same-${randomUUID()}@example.eu`;
    const objection = await createUnmatchedObjection({ email });
    const member = await memberFor({ email });
    const earlier = await db().objection.create({ data: { memberId: member.id, email, country: "FR", source: "email_link", status: "withdrawn", withdrawnAt: new Date() } });
    const preview = await previewMatch({ actor, objectionId: objection.id, memberExternalId: ` ${member.externalId} ` });
    expect(preview).toMatchObject({ externalId: member.externalId, maskedEmail: "s•••@example.eu", country: "France (FR)", language: "French (fr)", differences: [], warnings: [], blocked: false });
    expect(preview.objections).toEqual([{ id: earlier.id, reference: expect.any(String), status: "withdrawn" }]);
    expect(JSON.stringify(preview)).not.toContain(email);
    // Looking is not an act: nothing recorded.
    expect(await auditOf(objection.id)).toHaveLength(0);
    expect((await adminError(previewMatch({ actor: await viewer(), objectionId: objection.id, memberExternalId: member.externalId }))).code).toBe("forbidden");
    expect((await adminError(previewMatch({ actor, objectionId: objection.id, memberExternalId: `nobody-${randomUUID()}` }))).code).toBe("not_found");
  });

  it("says in words when the address and the country differ, and when the member already has a live objection", async () => {
    const actor = await reviewer();
    const objection = await createUnmatchedObjection({ email: `new.person-${randomUUID()}@example.com` });
    const member = await createMember({ db: pgPool(), externalId: `guard-${randomUUID()}`, email: `other-${randomUUID()}@example.org`, country: "DE", locale: null });
    const preview = await previewMatch({ actor, objectionId: objection.id, memberExternalId: member.externalId });
    expect(preview.differences).toEqual(["email", "country"]);
    expect(preview.language).toBeNull();
    expect(preview.warnings).toEqual([
      "The member's email address (o•••@example.org) is not the one the objection was made with (n•••@example.com).",
      "The member's country is Germany (DE); the objection gives France (FR).",
    ]);

    const { member: objector } = await createMatchedObjection();
    const blocked = await previewMatch({ actor, objectionId: objection.id, memberExternalId: objector.externalId });
    expect(blocked.blocked).toBe(true);
    expect(blocked.warnings.at(-1)).toBe("This member already has a live objection: a match would make two. Open the other objection instead.");
  });
});

describe("matching and unmatching", () => {
  it("refuses a match to a member who differs unless a reason is typed, then keeps the reason on the event and in the audit log", async () => {
    const actor = await reviewer();
    const objection = await createUnmatchedObjection();
    const member = await createMember({ db: pgPool(), externalId: `guard-${randomUUID()}`, country: "DE" });

    const refused = await adminError(matchObjection({ actor, objectionId: objection.id, memberExternalId: member.externalId }));
    expect(refused.code).toBe("invalid");
    expect(refused.message).toBe("The member's email and country differ from the objection's: write why this is the same person before matching.");
    expect((await adminError(matchObjection({ actor, objectionId: objection.id, memberExternalId: member.externalId, reason: "   " }))).code).toBe("invalid");
    expect((await db().objection.findUniqueOrThrow({ where: { id: objection.id } })).memberId).toBeNull();
    expect(await eventsOf(objection.id)).toHaveLength(0);
    expect(await auditOf(objection.id)).toHaveLength(0);

    await matchObjection({ actor, objectionId: objection.id, memberExternalId: member.externalId, reason: " Support confirmed they moved. " });
    expect((await db().objection.findUniqueOrThrow({ where: { id: objection.id } })).memberId).toBe(member.id);
    const detail = { memberId: member.id, memberExternalId: member.externalId, differences: ["email", "country"], reason: "Support confirmed they moved." };
    expect((await eventsOf(objection.id)).map((event) => [event.type, event.detail])).toEqual([["matched", detail]]);
    expect((await auditOf(objection.id)).map((event) => [event.action, event.actorId, event.detail])).toEqual([["objection_match", actor.id, detail]]);
  });

  it("matches a member with the objection's own address and country without a reason", async () => {
    const actor = await reviewer();
    const email = `agree-${randomUUID()}@example.eu`;
    const objection = await createUnmatchedObjection({ email });
    const member = await memberFor({ email });
    await matchObjection({ actor, objectionId: objection.id, memberExternalId: member.externalId });
    expect((await auditOf(objection.id)).map((event) => event.detail)).toEqual([{ memberId: member.id, memberExternalId: member.externalId, differences: [] }]);
  });

  it("unmatches a console match with a reason, audited; the objection stays effective and can be matched again", async () => {
    const actor = await reviewer();
    const objection = await createUnmatchedObjection();
    const member = await createMember({ db: pgPool(), externalId: `guard-${randomUUID()}`, country: "DE" });
    await matchObjection({ actor, objectionId: objection.id, memberExternalId: member.externalId, reason: "Looked right." });
    expect((await getObjectionDetail({ actor, objectionId: objection.id })).can).toMatchObject({ match: false, unmatch: true });

    expect((await adminError(unmatchObjection({ actor: await viewer(), objectionId: objection.id, reason: "No." }))).code).toBe("forbidden");
    const noReason = await adminError(unmatchObjection({ actor, objectionId: objection.id, reason: " " }));
    expect([noReason.code, noReason.message]).toEqual(["invalid", "Write why the match was wrong."]);

    await unmatchObjection({ actor, objectionId: objection.id, reason: "Different person: the support ticket was someone else's." });
    const stored = await db().objection.findUniqueOrThrow({ where: { id: objection.id } });
    expect([stored.memberId, stored.status]).toEqual([null, "effective"]);
    expect((await eventsOf(objection.id)).map((event) => event.type)).toEqual(["matched", "unmatched"]);
    const [, unmatchAudit] = await auditOf(objection.id);
    expect(unmatchAudit).toMatchObject({ action: "objection_unmatch", actorId: actor.id, detail: { memberId: member.id, memberExternalId: member.externalId, reason: "Different person: the support ticket was someone else's." } });
    expect((await adminError(unmatchObjection({ actor, objectionId: objection.id, reason: "Again." }))).code).toBe("conflict");

    const detail = await getObjectionDetail({ actor, objectionId: objection.id });
    expect(detail.can).toMatchObject({ match: true, unmatch: false });
    expect(detail.timeline.map((event) => event.text)).toEqual([`Member ${member.externalId}. Reason: Looked right.`, `Member ${member.externalId}. Reason: Different person: the support ticket was someone else's.`]);
    // Reasons are staff-written: a viewer sees who was matched, not why.
    const forViewer = await getObjectionDetail({ actor: await viewer(), objectionId: objection.id });
    expect(forViewer.timeline[0]?.text).toBe(`Member ${member.externalId}. Reason: Hidden: reviewers and admins can read it.`);
  });

  it("refuses to unmatch an objection the member made through their own link: nobody matched it", async () => {
    const actor = await reviewer();
    const { objection } = await createMatchedObjection();
    expect((await getObjectionDetail({ actor, objectionId: objection.id })).can.unmatch).toBe(false);
    const error = await adminError(unmatchObjection({ actor, objectionId: objection.id, reason: "Try." }));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/member's own link/);
  });
});

describe("the objection page's person data and rejection email", () => {
  it("shows the matched member's external id to every role (one masking rule), and the address masked", async () => {
    const { member, objection } = await createMatchedObjection();
    const detail = await getObjectionDetail({ actor: await viewer(), objectionId: objection.id });
    expect(detail.member).toEqual({ id: member.id, externalId: member.externalId });
    expect(detail.maskedEmail).not.toContain(member.email);
  });

  it("names the language the rejection email is sent in, with its fixed text in that language", async () => {
    const actor = await reviewer();
    const { objection } = await createMatchedObjection({ locale: "de" });
    const german = (await getObjectionDetail({ actor, objectionId: objection.id })).rejectionEmail;
    expect(german).toMatchObject({ locale: "de", language: "German (de)", languageSource: "The member's language, as the platform gave it." });
    expect(german.heading).toBe(de.emails.rejection.heading);
    expect(german.reasonTitle).toBe(de.emails.rejection.reasonTitle);
    // The date as the email writes it: in German, on the clock of the objection's country.
    expect(german.body).toBe(de.emails.rejection.body.replace("{date}", formatDateTimeFor({ locale: "de", country: objection.country, date: objection.effectiveAt })));
    expect(german.closing).toEqual([de.emails.rejection.effect, de.emails.rejection.again]);

    const unmatched = await createUnmatchedObjection();
    const english = (await getObjectionDetail({ actor, objectionId: unmatched.id })).rejectionEmail;
    expect(english).toMatchObject({ locale: "en", language: "English (en)", languageSource: "The objection is not matched to a member, so the email goes out in English.", heading: "Your objection was rejected" });
  });
});
