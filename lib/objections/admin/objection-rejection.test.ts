import { afterAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/db";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { approveObjectionRejection } from "@/lib/objections/admin/approve-objection-rejection";
import { cancelObjectionRejection } from "@/lib/objections/admin/cancel-objection-rejection";
import { getObjectionDetail } from "@/lib/objections/admin/get-objection-detail";
import { requestObjectionRejection } from "@/lib/objections/admin/request-objection-rejection";
import { sendObjectionRejection } from "@/lib/objections/send-objection-rejection";
import { pgPool } from "@/lib/pg";
import { fileSmtpSink } from "@/test/file-smtp-sink";
import { createAdmin } from "@/test/factories";
import { adminError, auditOf, createMatchedObjection, eventsOf, rejectionJobsFor } from "@/test/objection-admin-fixtures";

const { messagesTo } = fileSmtpSink();

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
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
