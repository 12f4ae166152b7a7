import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { auditTargetWords } from "@/lib/audit/audit-words";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { ZAuditFilters } from "@/lib/audit/schema";
import { AppError } from "@/lib/errors/app-error";
import type { TAdminRole } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import type { AuditAction } from "@/lib/generated/prisma/enums";
import { closePgPool, pgPool } from "@/lib/pg";
import { createAdmin, createCampaign, createMember } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const event = (actorId: string, action: AuditAction, createdAt: string) => db().auditEvent.create({ data: { actorType: "admin", actorId, action, createdAt: new Date(createdAt), targetType: "objection", targetId: randomUUID() } });

describe("listAuditEvents", () => {
  it("filters by admin, action and whole UTC days, newest first", async () => {
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    const [first, second] = [await createAdmin({ db: pgPool(), role: "reviewer" }), await createAdmin({ db: pgPool(), role: "admin" })];
    await event(first.id, "reveal", "2031-03-01T23:59:59.999Z");
    await event(first.id, "objection_note", "2031-03-02T00:00:00.000Z");
    await event(first.id, "reveal", "2031-03-03T12:00:00.000Z");
    await event(second.id, "reveal", "2031-03-02T10:00:00.000Z");

    const list = async (filters: Record<string, string>) =>
      (await listAuditEvents({ actor: viewer, filters: ZAuditFilters.parse(filters) })).events.map(({ actorId, action, createdAt }) => `${actorId === first.id ? "first" : "second"} ${action} ${createdAt.toISOString()}`);

    expect(await list({ admin: first.id })).toEqual([
      "first reveal 2031-03-03T12:00:00.000Z",
      "first objection_note 2031-03-02T00:00:00.000Z",
      "first reveal 2031-03-01T23:59:59.999Z",
    ]);
    expect(await list({ admin: first.id, action: "reveal" })).toEqual(["first reveal 2031-03-03T12:00:00.000Z", "first reveal 2031-03-01T23:59:59.999Z"]);
    expect(await list({ action: "reveal", from: "2031-03-02", to: "2031-03-02" })).toEqual(["second reveal 2031-03-02T10:00:00.000Z"]);
    expect(await list({ admin: first.id, from: "2031-03-02" })).toEqual(["first reveal 2031-03-03T12:00:00.000Z", "first objection_note 2031-03-02T00:00:00.000Z"]);
    expect(await list({ admin: first.id, to: "2031-03-01" })).toEqual(["first reveal 2031-03-01T23:59:59.999Z"]);
    // Nonsense in the query string is ignored, never an error.
    expect(ZAuditFilters.parse({ admin: "x", action: "drop table", from: "yesterday", after: "zzz" })).toEqual({ after: "zzz" });
    expect(await list({ admin: first.id, after: "zzz" })).toHaveLength(3);
    // Days that do not exist, and cursors PostgreSQL would refuse, are ignored too.
    expect(ZAuditFilters.parse({ from: "2026-02-30", to: "2026-13-01" })).toEqual({});
    expect(await list({ admin: first.id, after: "2026-13-01T00:00:00.000Z_1" })).toHaveLength(3);
    expect(await list({ admin: first.id, after: "2026-01-01T00:00:00.000Z_99999999999999999999" })).toHaveLength(3);
  });

  it("pages with a keyset: every event once, in order, ties on the same millisecond included", async () => {
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    const actor = await createAdmin({ db: pgPool(), role: "admin" });
    const times = ["2032-01-01T00:00:00.000Z", "2032-01-01T00:00:00.000Z", "2032-01-01T00:00:00.000Z", "2032-01-02T00:00:00.000Z", "2032-01-03T00:00:00.000Z", "2032-01-03T00:00:00.000Z", "2032-01-04T00:00:00.000Z"];
    const created = [];
    for (const time of times) created.push(await event(actor.id, "campaign_launch", time));
    const expected = [...created].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || Number(b.id - a.id)).map(({ id }) => String(id));

    const readAll = async (dir: "asc" | "desc") => {
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await listAuditEvents({ actor: viewer, filters: { admin: actor.id, after, dir }, limit: 2 });
        seen.push(...page.events.map(({ id }) => id));
        after = page.nextCursor ?? undefined;
        pages++;
      } while (after);
      return { seen, pages };
    };
    expect(await readAll("desc")).toEqual({ seen: expected, pages: 4 });
    // Sorted by the "When" header the other way: the same events, oldest first.
    expect(await readAll("asc")).toEqual({ seen: [...expected].reverse(), pages: 4 });
  });

  it("names each target as people do: a member by external id, a campaign by name, an admin by address, an export run only when it exists", async () => {
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    const actor = await createAdmin({ db: pgPool(), role: "admin" });
    const member = await createMember({ db: pgPool() });
    const campaign = await createCampaign({ db: pgPool(), name: "Spring notice" });
    const run = (await pgPool().query<{ id: string }>(`INSERT INTO "ExportRun" (cutoff, format, location) VALUES (now(), 'csv', '/tmp') RETURNING id`)).rows[0]!;
    const jobId = randomUUID();
    const at = "2034-01-01T00:00:00.000Z";
    const targets = [
      { targetType: "member", targetId: member.id },
      { targetType: "campaign", targetId: campaign.id },
      { targetType: "admin", targetId: viewer.id },
      { targetType: "export", targetId: run.id },
      { targetType: "export", targetId: jobId },
      { targetType: "member", targetId: "not-a-uuid" },
    ] as const;
    for (const target of targets) await db().auditEvent.create({ data: { actorType: "admin", actorId: actor.id, action: "reveal", createdAt: new Date(at), ...target } });

    const { events } = await listAuditEvents({ actor: viewer, filters: ZAuditFilters.parse({ admin: actor.id, dir: "asc" }) });
    const words = events.map((row) => auditTargetWords({ type: row.targetType, id: row.targetId, name: row.targetName, exists: row.targetExists }));
    expect(words).toEqual([
      { label: `Member ${member.externalId}`, href: `/admin/members/${member.id}` },
      { label: "Campaign “Spring notice”", href: `/admin/campaigns/${campaign.id}` },
      { label: viewer.email, href: null },
      { label: "Export run", href: `/admin/exports/${run.id}` },
      { label: "An export, queued", href: null },
      { label: "A member no longer on file", href: null },
    ]);
  });

  it("is read-only: the database refuses to change or delete an event", async () => {
    const actor = await createAdmin({ db: pgPool(), role: "admin" });
    const stored = await event(actor.id, "reveal", "2033-01-01T00:00:00.000Z");
    await expect(db().auditEvent.update({ where: { id: stored.id }, data: { action: "objection_note" } })).rejects.toThrow();
    await expect(db().auditEvent.delete({ where: { id: stored.id } })).rejects.toThrow();
    expect((await db().auditEvent.findUniqueOrThrow({ where: { id: stored.id } })).action).toBe("reveal");
  });

  it("needs a signed-in role: every role reads it", async () => {
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    await expect(listAuditEvents({ actor: viewer, filters: {} })).resolves.toBeDefined();
    await expect(listAuditEvents({ actor: { kind: "admin", id: viewer.id, role: "nobody" as TAdminRole }, filters: {} })).rejects.toBeInstanceOf(AppError);
  });
});
