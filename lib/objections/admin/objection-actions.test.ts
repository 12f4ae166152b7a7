import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/db";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { addObjectionNote } from "@/lib/objections/admin/add-objection-note";
import { approveObjectionRejection } from "@/lib/objections/admin/approve-objection-rejection";
import { cancelObjectionRejection } from "@/lib/objections/admin/cancel-objection-rejection";
import { getObjectionDetail, STAFF_TEXT_HIDDEN } from "@/lib/objections/admin/get-objection-detail";
import { markObjectionSpam } from "@/lib/objections/admin/mark-objection-spam";
import { matchObjection } from "@/lib/objections/admin/match-objection";
import { requestObjectionRejection } from "@/lib/objections/admin/request-objection-rejection";
import { revealObjection } from "@/lib/objections/admin/reveal-objection";
import { sendObjectionRejection } from "@/lib/objections/send-objection-rejection";
import { pgPool } from "@/lib/pg";
import { fileSmtpSink } from "@/test/file-smtp-sink";
import { createAdmin, createMember } from "@/test/factories";

const smtp = fileSmtpSink();

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
});

const createTestMember = ({ locale = "en" }: { locale?: string } = {}) => createMember({ db: pgPool(), country: "DE", birthDate: "1990-01-02", locale });

/** An objection made without a link to an account (source direct, no member), as a forwarded one or an import might be. */
const createUnmatchedObjection = async ({ email = `person-${randomUUID()}@example.eu` }: { email?: string } = {}) =>
  db().objection.create({ data: { email, country: "FR", source: "direct", reason: "I never agreed to this." } });

const createMatchedObjection = async ({ locale = "en" }: { locale?: string } = {}) => {
  const member = await createTestMember({ locale });
  const objection = await db().objection.create({ data: { memberId: member.id, email: member.email, country: member.country, source: "email_link" } });
  return { member, objection };
};

const eventsOf = (objectionId: string) => db().objectionEvent.findMany({ where: { objectionId }, orderBy: { id: "asc" } });
const auditOf = (objectionId: string) => db().auditEvent.findMany({ where: { targetType: "objection", targetId: objectionId }, orderBy: { id: "asc" } });

const rejectionJobsFor = async (objectionId: string) =>
  (await pgPool().query<{ data: { objectionId: string } }>(`SELECT data FROM pgboss.job WHERE name = 'objection-rejection' AND data->>'objectionId' = $1`, [objectionId])).rows;

const { messagesTo } = smtp;

const adminError = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

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
    await matchObjection({ actor: reviewer, objectionId: objection.id, memberExternalId: member.externalId });
    const stored = await db().objection.findUniqueOrThrow({ where: { id: objection.id } });
    expect(stored.memberId).toBe(member.id);
    expect(stored.country).toBe("FR");
    expect((await eventsOf(objection.id)).map((event) => [event.type, event.actorType, event.actorId])).toEqual([["matched", "admin", reviewer.id]]);
    expect((await auditOf(objection.id)).map((event) => [event.action, event.actorId])).toEqual([["objection_match", reviewer.id]]);

    // Matching again is a conflict; an unknown member is not found; a bad id is invalid.
    expect((await adminError(matchObjection({ actor: reviewer, objectionId: objection.id, memberExternalId: member.externalId }))).code).toBe("conflict");
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
      matchObjection({ actor: first, objectionId: a.id, memberExternalId: member.externalId }),
      matchObjection({ actor: second, objectionId: b.id, memberExternalId: member.externalId }),
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

describe("rejection with a second reviewer", () => {
  it("a request waits; the requester cannot approve; a second reviewer's approval rejects, enqueues and sends the email", async () => {
    const requester = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const approver = await createAdmin({ db: pgPool(), role: "admin", domain: "staff.objection.test" });
    const { member, objection } = await createMatchedObjection({ locale: "de" });
    const reason = "Dieses Konto gehört einem Unternehmen,\nnicht einer Person.";

    await requestObjectionRejection({ actor: requester, objectionId: objection.id, reason });
    let stored = await db().objection.findUniqueOrThrow({ where: { id: objection.id } });
    expect(stored).toMatchObject({ status: "effective", rejectionRequestedBy: requester.id, rejectionReason: reason, rejectedAt: null });
    expect((await adminError(requestObjectionRejection({ actor: approver, objectionId: objection.id, reason: "again" }))).code).toBe("conflict");

    const detailForRequester = await getObjectionDetail({ actor: requester, objectionId: objection.id });
    expect(detailForRequester.can.approveRejection).toBe(false);
    expect(detailForRequester.rejection?.requestedByLabel).toContain("@staff.objection.test");

    const self = await adminError(approveObjectionRejection({ actor: requester, objectionId: objection.id }));
    expect(self.code).toBe("forbidden");
    expect(self.message).toMatch(/second reviewer/);
    expect((await db().objection.findUniqueOrThrow({ where: { id: objection.id } })).status).toBe("effective");
    expect(await rejectionJobsFor(objection.id)).toHaveLength(0);

    await approveObjectionRejection({ actor: approver, objectionId: objection.id });
    stored = await db().objection.findUniqueOrThrow({ where: { id: objection.id } });
    expect(stored.status).toBe("rejected");
    expect(stored.rejectedAt).not.toBeNull();
    expect((await eventsOf(objection.id)).map((event) => [event.type, event.actorId])).toEqual([
      ["rejection_requested", requester.id],
      ["rejected", approver.id],
    ]);
    expect((await auditOf(objection.id)).map((event) => [event.action, event.actorId])).toEqual([
      ["objection_rejection_request", requester.id],
      ["objection_rejection_approve", approver.id],
    ]);
    for (const audit of await auditOf(objection.id)) expect(JSON.stringify(audit.detail ?? null)).not.toContain("Unternehmen");

    const queued = await rejectionJobsFor(objection.id);
    expect(queued).toHaveLength(1);
    // The worker's handler, run directly on the queued job's data.
    expect(await sendObjectionRejection({ actor: systemActor(QUEUES.objectionRejection.name), ...queued[0]!.data })).toEqual({ sent: true });
    const [email] = messagesTo(member.email);
    expect(email?.subject).toBe("Ihr Widerspruch gegen KI-Training wurde nicht angenommen");
    expect(email?.text).toContain("Dieses Konto gehört einem Unternehmen,");
    expect(email?.text).toContain("> nicht einer Person.");
    expect(email?.html).toContain("Dieses Konto gehört einem Unternehmen,");
    expect(email?.text).toContain("Erneut widersprechen");
    expect(email?.text).toContain("/object");
    // The sent email is on the timeline; the job run again (a retry after a crash) sends nothing more.
    const sentEvents = await db().objectionEvent.findMany({ where: { objectionId: objection.id, type: "rejection_email_sent" } });
    expect(sentEvents).toHaveLength(1);
    expect(sentEvents[0]).toMatchObject({ actorType: "system", actorId: "objection-rejection" });
    expect(await sendObjectionRejection({ actor: systemActor(QUEUES.objectionRejection.name), ...queued[0]!.data })).toEqual({ sent: false });
    expect(messagesTo(member.email)).toHaveLength(1);

    // Rejected: nothing left to approve or cancel, and the member may object again.
    expect((await adminError(approveObjectionRejection({ actor: approver, objectionId: objection.id }))).code).toBe("conflict");
    expect((await adminError(cancelObjectionRejection({ actor: approver, objectionId: objection.id }))).code).toBe("conflict");
    await db().objection.create({ data: { memberId: member.id, email: member.email, country: "DE", source: "direct" } });
  });

  it("a pending rejection can be cancelled; the objection stays effective and can be requested again", async () => {
    const requester = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const other = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const { objection } = await createMatchedObjection();
    await requestObjectionRejection({ actor: requester, objectionId: objection.id, reason: "A test account." });
    await cancelObjectionRejection({ actor: other, objectionId: objection.id });
    const stored = await db().objection.findUniqueOrThrow({ where: { id: objection.id } });
    expect(stored).toMatchObject({ status: "effective", rejectionRequestedBy: null, rejectionRequestedAt: null, rejectionReason: null });
    expect((await adminError(approveObjectionRejection({ actor: other, objectionId: objection.id }))).code).toBe("conflict");
    expect((await adminError(cancelObjectionRejection({ actor: other, objectionId: objection.id }))).code).toBe("conflict");
    expect((await eventsOf(objection.id)).map((event) => event.type)).toEqual(["rejection_requested", "rejection_cancelled"]);
    expect((await auditOf(objection.id)).map((event) => event.action)).toEqual(["objection_rejection_request", "objection_rejection_cancel"]);
    await requestObjectionRejection({ actor: requester, objectionId: objection.id, reason: "Asked again." });
    expect(await rejectionJobsFor(objection.id)).toHaveLength(0);
  });

  it("refuses an empty or overlong reason, and an objection that is not effective", async () => {
    const reviewer = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const { objection } = await createMatchedObjection();
    expect((await adminError(requestObjectionRejection({ actor: reviewer, objectionId: objection.id, reason: " " }))).code).toBe("invalid");
    expect((await adminError(requestObjectionRejection({ actor: reviewer, objectionId: objection.id, reason: "y".repeat(2001) }))).code).toBe("invalid");
    await db().objection.update({ where: { id: objection.id }, data: { status: "withdrawn", withdrawnAt: new Date() } });
    expect((await adminError(requestObjectionRejection({ actor: reviewer, objectionId: objection.id, reason: "late" }))).code).toBe("conflict");
  });

  it("racing approvals by two reviewers: exactly one wins, one event, one email job", async () => {
    const requester = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const approvers = [await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" }), await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" }), await createAdmin({ db: pgPool(), role: "admin", domain: "staff.objection.test" })];
    const { objection } = await createMatchedObjection();
    await requestObjectionRejection({ actor: requester, objectionId: objection.id, reason: "Duplicate of another account." });
    const results = await Promise.allSettled(approvers.map((actor) => approveObjectionRejection({ actor, objectionId: objection.id })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) if (result.status === "rejected") expect((result.reason as AppError).code).toBe("conflict");
    expect((await eventsOf(objection.id)).filter((event) => event.type === "rejected")).toHaveLength(1);
    expect((await auditOf(objection.id)).filter((event) => event.action === "objection_rejection_approve")).toHaveLength(1);
    expect(await rejectionJobsFor(objection.id)).toHaveLength(1);
  });

  it("an approval racing a cancellation: one of them wins, and the state is consistent", async () => {
    const requester = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const approver = await createAdmin({ db: pgPool(), role: "reviewer", domain: "staff.objection.test" });
    const { objection } = await createMatchedObjection();
    await requestObjectionRejection({ actor: requester, objectionId: objection.id, reason: "Not a person." });
    const [approval, cancellation] = await Promise.allSettled([
      approveObjectionRejection({ actor: approver, objectionId: objection.id }),
      cancelObjectionRejection({ actor: requester, objectionId: objection.id }),
    ]);
    expect([approval.status, cancellation.status].sort()).toEqual(["fulfilled", "rejected"]);
    const stored = await db().objection.findUniqueOrThrow({ where: { id: objection.id } });
    expect(stored.status).toBe(approval.status === "fulfilled" ? "rejected" : "effective");
    expect(await rejectionJobsFor(objection.id)).toHaveLength(approval.status === "fulfilled" ? 1 : 0);
  });
});
