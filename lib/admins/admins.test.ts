import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { ADMIN_INVITATION_SUBJECT } from "@/emails/admin-invitation";
import { changeAdminRole } from "@/lib/admins/change-admin-role";
import { inviteAdmin } from "@/lib/admins/invite-admin";
import { listAdmins } from "@/lib/admins/list-admins";
import { removeAdminAccess } from "@/lib/admins/remove-admin-access";
import { ZInviteAdmin } from "@/lib/admins/schema";
import { ZAdminSignIn } from "@/lib/auth/schema";
import { db } from "@/lib/db";
import { closePgPool, pgPool } from "@/lib/pg";
import { fileSmtpSink } from "@/test/file-smtp-sink";
import { createAdmin } from "@/test/factories";
import { rejects } from "@/test/app-error";

const smtp = fileSmtpSink();

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const auditOf = (targetId: string) => db().auditEvent.findMany({ where: { targetId }, orderBy: { id: "asc" } });


describe("team", () => {
  it("invites a reviewer: an AdminUser invited by the admin, an audit event with the role and no address, and the invitation email", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const email = `Invited-${randomUUID()}@Objection.test`;

    const { id, emailed } = await inviteAdmin({ actor: admin, invitation: { email, role: "reviewer" } });

    expect(emailed).toBe(true);
    const stored = await db().adminUser.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ email: email.toLowerCase(), role: "reviewer", invitedById: admin.id, disabledAt: null });
    const events = await auditOf(id);
    expect(events.map(({ actorId, action, targetType, detail }) => ({ actorId, action, targetType, detail }))).toEqual([
      { actorId: admin.id, action: "invitation", targetType: "admin", detail: { role: "reviewer" } },
    ]);
    expect(JSON.stringify(events.map(({ detail, targetId }) => ({ detail, targetId })))).not.toContain("@");
    const mail = smtp.messagesTo(email.toLowerCase())[0];
    expect(mail?.subject).toBe(ADMIN_INVITATION_SUBJECT);
    expect(mail?.text).toContain("/admin/sign-in");
    expect(mail?.text).toContain("reviewer");

    const team = await listAdmins({ actor: admin });
    expect(team.find((member) => member.id === id)).toMatchObject({ role: "reviewer", invitedByEmail: admin.email, lastSignInAt: null });
  });

  it("invites an internationalised address: the form's schema takes it, it is stored normalised, and the invitation reaches it", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const email = `Jürgen-${randomUUID()}@Müller.test`;
    expect(ZInviteAdmin.parse({ email, role: "viewer" })).toEqual({ email, role: "viewer" });
    expect(ZAdminSignIn.parse({ email })).toEqual({ email });

    const { id, emailed } = await inviteAdmin({ actor: admin, invitation: { email, role: "viewer" } });

    expect(emailed).toBe(true);
    expect((await db().adminUser.findUniqueOrThrow({ where: { id } })).email).toBe(email.toLowerCase());
    expect(smtp.messages().some((message) => JSON.stringify(message.to).includes(email.toLowerCase().split("@")[0]!))).toBe(true);
  });

  it("refuses to invite an address that already has access, and brings back one whose access was removed", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const other = await createAdmin({ db: pgPool(), role: "viewer" });
    await rejects(inviteAdmin({ actor: admin, invitation: { email: other.email, role: "admin" } }), "conflict");

    await removeAdminAccess({ actor: admin, removal: { adminId: other.id } });
    const again = await inviteAdmin({ actor: admin, invitation: { email: other.email, role: "reviewer" } });
    expect(again.id).toBe(other.id);
    expect(await db().adminUser.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ role: "reviewer", disabledAt: null });
  });

  it("changes another admin's role with an audited from/to, and refuses anyone changing their own", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });

    expect(await changeAdminRole({ actor: admin, change: { adminId: viewer.id, role: "reviewer" } })).toEqual({ changed: true });
    expect((await db().adminUser.findUniqueOrThrow({ where: { id: viewer.id } })).role).toBe("reviewer");
    expect((await auditOf(viewer.id)).map(({ action, detail }) => ({ action, detail }))).toEqual([{ action: "role_change", detail: { from: "viewer", to: "reviewer" } }]);

    const refused = await rejects(changeAdminRole({ actor: admin, change: { adminId: admin.id, role: "viewer" } }), "conflict");
    expect(refused.message).toMatch(/your own role/);
    expect((await db().adminUser.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
    expect(await auditOf(admin.id)).toEqual([]);

    await rejects(changeAdminRole({ actor: admin, change: { adminId: randomUUID(), role: "viewer" } }), "not_found");
  });

  it("removes access: disabledAt set, every session gone, audited; nobody removes themselves", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const reviewer = await createAdmin({ db: pgPool(), role: "reviewer" });
    const expires = new Date(Date.now() + 3600_000);
    await db().adminSession.createMany({ data: [{ sessionToken: randomUUID(), userId: reviewer.id, expires }, { sessionToken: randomUUID(), userId: reviewer.id, expires }] });

    expect(await removeAdminAccess({ actor: admin, removal: { adminId: reviewer.id } })).toEqual({ sessionsEnded: 2 });
    expect((await db().adminUser.findUniqueOrThrow({ where: { id: reviewer.id } })).disabledAt).toBeInstanceOf(Date);
    expect(await db().adminSession.count({ where: { userId: reviewer.id } })).toBe(0);
    expect((await auditOf(reviewer.id)).map(({ actorId, action }) => ({ actorId, action }))).toEqual([{ actorId: admin.id, action: "access_removed" }]);

    await rejects(removeAdminAccess({ actor: admin, removal: { adminId: reviewer.id } }), "conflict");
    await rejects(removeAdminAccess({ actor: admin, removal: { adminId: admin.id } }), "conflict");
    expect((await db().adminUser.findUniqueOrThrow({ where: { id: admin.id } })).disabledAt).toBeNull();
    await rejects(changeAdminRole({ actor: admin, change: { adminId: reviewer.id, role: "admin" } }), "conflict");
  });

  it("forbids viewers and reviewers every team action, and changes nothing", async () => {
    const target = await createAdmin({ db: pgPool(), role: "viewer" });
    for (const role of ["viewer", "reviewer"] as const) {
      const actor = await createAdmin({ db: pgPool(), role });
      const email = `nobody-${randomUUID()}@objection.test`;
      await rejects(inviteAdmin({ actor, invitation: { email, role: "admin" } }), "forbidden");
      await rejects(changeAdminRole({ actor, change: { adminId: target.id, role: "admin" } }), "forbidden");
      await rejects(removeAdminAccess({ actor, removal: { adminId: target.id } }), "forbidden");
      await rejects(listAdmins({ actor }), "forbidden");
      expect(await db().adminUser.findUnique({ where: { email } })).toBeNull();
    }
    expect(await db().adminUser.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ role: "viewer", disabledAt: null });
    expect(await auditOf(target.id)).toEqual([]);
  });

  it("shows the last sign-in from the audit trail", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    const signedIn = await db().auditEvent.create({ data: { actorType: "admin", actorId: viewer.id, action: "sign_in" } });
    const row = (await listAdmins({ actor: admin })).find((member) => member.id === viewer.id);
    expect(row?.lastSignInAt?.getTime()).toBe(signedIn.createdAt.getTime());
  });
});
