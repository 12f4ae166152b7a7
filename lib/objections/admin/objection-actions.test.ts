import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { addObjectionNote } from "@/lib/objections/admin/add-objection-note";
import { approveObjectionRejection } from "@/lib/objections/admin/approve-objection-rejection";
import { cancelObjectionRejection } from "@/lib/objections/admin/cancel-objection-rejection";
import { getObjectionDetail, STAFF_TEXT_HIDDEN } from "@/lib/objections/admin/get-objection-detail";
import { markObjectionSpam } from "@/lib/objections/admin/mark-objection-spam";
import { matchObjection } from "@/lib/objections/admin/match-objection";
import { requestObjectionRejection } from "@/lib/objections/admin/request-objection-rejection";
import { revealObjection } from "@/lib/objections/admin/reveal-objection";
import { pgPool } from "@/lib/pg";
import { fileSmtpSink } from "@/test/file-smtp-sink";
import { createAdmin } from "@/test/factories";
import { adminError, auditOf, createMatchedObjection, createTestMember, createUnmatchedObjection, eventsOf } from "@/test/objection-admin-fixtures";

fileSmtpSink();

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
});

describe("objection actions", () => {
  it("a viewer can do none of them (forbidden), and changes nothing", async () => {
    const viewer = await createAdmin({ db: pgPool(), role: "viewer", domain: "staff.objection.test" });
    const objection = await createUnmatchedObjection();
    const member = await createTestMember();
    const attempts = [
      matchObjection({ actor: viewer, objectionId: objection.id, memberExternalId: member.externalId }),
      addObjectionNote({ actor: viewer, objectionId: objection.id, note: "hello" }),
      markObjectionSpam({ actor: viewer, objectionId: objection.id }),
      requestObjectionRejection({ actor: viewer, objectionId: objection.id, reason: "no" }),
      approveObjectionRejection({ actor: viewer, objectionId: objection.id }),
      cancelObjectionRejection({ actor: viewer, objectionId: objection.id }),
      revealObjection({ actor: viewer, objectionId: objection.id }),
    ];
    for (const attempt of attempts) expect((await adminError(attempt)).code).toBe("forbidden");
    expect(await eventsOf(objection.id)).toHaveLength(0);
    expect(await auditOf(objection.id)).toHaveLength(0);
  });

  it("matches an unmatched objection by external id, keeping its country, with an event and an audit row", async () => {
    const reviewer = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const objection = await createUnmatchedObjection();
    const member = await createTestMember();
    // The member's address and country differ from the objection's: a reason is needed (match-guards.test.ts).
    await matchObjection({ actor: reviewer, objectionId: objection.id, memberExternalId: member.externalId, reason: "Support confirmed the account." });
    const stored = await db().objection.findUniqueOrThrow({ where: { id: objection.id } });
    expect(stored.memberId).toBe(member.id);
    expect(stored.country).toBe("FR");
    expect((await eventsOf(objection.id)).map((event) => [event.type, event.actorType, event.actorId])).toEqual([["matched", "admin", reviewer.id]]);
    expect((await auditOf(objection.id)).map((event) => [event.action, event.actorId])).toEqual([["objection_match", reviewer.id]]);

    // Matching again is a conflict; an unknown member is not found; a bad id is invalid.
    expect((await adminError(matchObjection({ actor: reviewer, objectionId: objection.id, memberExternalId: member.externalId, reason: "Again." }))).code).toBe("conflict");
    const other = await createUnmatchedObjection();
    expect((await adminError(matchObjection({ actor: reviewer, objectionId: other.id, memberExternalId: `nobody-${randomUUID()}` }))).code).toBe("not_found");
    expect((await adminError(matchObjection({ actor: reviewer, objectionId: "not-a-uuid", memberExternalId: member.externalId }))).code).toBe("invalid");
  });

  it("refuses to match to a member who already has a live objection (conflict)", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin", domain: "staff.objection.test" });
    const { member } = await createMatchedObjection();
    const objection = await createUnmatchedObjection();
    const error = await adminError(matchObjection({ actor: admin, objectionId: objection.id, memberExternalId: member.externalId }));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/already has a live objection/);
    expect((await db().objection.findUniqueOrThrow({ where: { id: objection.id } })).memberId).toBeNull();
    expect(await eventsOf(objection.id)).toHaveLength(0);
  });

  it("two reviewers matching two objections to one member at once: one wins, the other gets a conflict", async () => {
    const [first, second] = [await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" }), await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" })];
    const member = await createTestMember();
    const [a, b] = [await createUnmatchedObjection(), await createUnmatchedObjection()];
    const results = await Promise.allSettled([
      matchObjection({ actor: first, objectionId: a.id, memberExternalId: member.externalId, reason: "Checked." }),
      matchObjection({ actor: second, objectionId: b.id, memberExternalId: member.externalId, reason: "Checked." }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AppError);
    expect((rejected.reason as AppError).code).toBe("conflict");
    expect(await db().objection.count({ where: { memberId: member.id, status: "effective" } })).toBe(1);
  });

  it("adds a note (timeline, audit without the text), refusing empty, long and control-character text", async () => {
    const reviewer = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const objection = await createUnmatchedObjection();
    await addObjectionNote({ actor: reviewer, objectionId: objection.id, note: "  Called the person; address confirmed.  " });
    const [event] = await eventsOf(objection.id);
    expect(event).toMatchObject({ type: "note_added", actorType: "admin", actorId: reviewer.id, detail: { note: "Called the person; address confirmed." } });
    const [audit] = await auditOf(objection.id);
    expect(audit).toMatchObject({ action: "objection_note", actorId: reviewer.id });
    expect(JSON.stringify(audit?.detail)).not.toContain("Called");

    for (const note of ["", "   ", "x".repeat(2001), "bell\u0007", "nul\u0000"]) {
      expect((await adminError(addObjectionNote({ actor: reviewer, objectionId: objection.id, note }))).code).toBe("invalid");
    }
    expect((await adminError(addObjectionNote({ actor: reviewer, objectionId: randomUUID(), note: "hi" }))).code).toBe("not_found");
    await addObjectionNote({ actor: reviewer, objectionId: objection.id, note: "x".repeat(2000) });
    expect(await eventsOf(objection.id)).toHaveLength(2);
  });

  it("marks as spam once; the objection stays effective", async () => {
    const reviewer = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const { objection } = await createMatchedObjection();
    await markObjectionSpam({ actor: reviewer, objectionId: objection.id });
    const stored = await db().objection.findUniqueOrThrow({ where: { id: objection.id } });
    expect(stored.spamAt).not.toBeNull();
    expect(stored.status).toBe("effective");
    expect((await adminError(markObjectionSpam({ actor: reviewer, objectionId: objection.id }))).code).toBe("conflict");
    expect((await eventsOf(objection.id)).map((event) => event.type)).toEqual(["marked_spam"]);
    expect((await auditOf(objection.id)).map((event) => event.action)).toEqual(["objection_spam"]);
  });

  it("reveals the personal data to a reviewer, audited each time; the detail stays masked", async () => {
    const reviewer = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const viewer = await createAdmin({ db: pgPool(), role: "viewer", domain: "staff.objection.test" });
    const email = `reveal-${randomUUID()}@example.eu`;
    const objection = await createUnmatchedObjection({ email });
    const detail = await getObjectionDetail({ actor: viewer, objectionId: objection.id });
    expect(detail.maskedEmail).toBe("r•••@example.eu");
    expect(JSON.stringify(detail)).not.toContain(email);
    expect(JSON.stringify(detail)).not.toContain("I never agreed");
    expect(detail.can.reveal).toBe(false);

    expect(await revealObjection({ actor: reviewer, objectionId: objection.id })).toEqual({ email, reason: "I never agreed to this.", memberExternalId: null });
    await revealObjection({ actor: reviewer, objectionId: objection.id });
    expect((await auditOf(objection.id)).map((event) => [event.action, event.actorId])).toEqual([
      ["reveal", reviewer.id],
      ["reveal", reviewer.id],
    ]);
    // Staff notes (often quoting the person) are for reviewers: a viewer sees that one exists, not its text.
    await addObjectionNote({ actor: reviewer, objectionId: objection.id, note: "She wrote: my posts are mine." });
    const forViewer = await getObjectionDetail({ actor: viewer, objectionId: objection.id });
    expect(forViewer.timeline.find((event) => event.type === "note_added")?.text).toBe(STAFF_TEXT_HIDDEN);
    const forReviewer = await getObjectionDetail({ actor: reviewer, objectionId: objection.id });
    expect(forReviewer.timeline.find((event) => event.type === "note_added")?.text).toBe("She wrote: my posts are mine.");
    // Who did it, in words: the reviewer's address for reviewers, "An admin" for a viewer, never an id.
    expect(forReviewer.timeline.find((event) => event.type === "note_added")).toMatchObject({ label: "Note", actorLabel: reviewer.email });
    expect(forViewer.timeline.find((event) => event.type === "note_added")?.actorLabel).toBe("An admin");
    expect(JSON.stringify(forViewer.timeline.map(({ label, actorLabel }) => [label, actorLabel]))).not.toMatch(/[0-9a-f]{8}/);
    expect((await adminError(getObjectionDetail({ actor: viewer, objectionId: "nope" }))).code).toBe("not_found");
    expect((await adminError(getObjectionDetail({ actor: viewer, objectionId: randomUUID() }))).code).toBe("not_found");
  });

  // The member's notices on this page are objectionMemberNotices' (lib/members/get-member-detail.test.ts).
  it("lists other objections with the same address", async () => {
    const reviewer = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const { member, objection } = await createMatchedObjection();
    const earlier = await db().objection.create({ data: { email: member.email, country: "DE", source: "direct", status: "withdrawn", withdrawnAt: new Date() } });
    const detail = await getObjectionDetail({ actor: reviewer, objectionId: objection.id });
    expect(detail.related.map((other) => other.id)).toEqual([earlier.id]);
  });
});
