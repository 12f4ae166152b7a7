import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TAdminActor } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { bulkObjectionAction } from "@/lib/objections/admin/bulk-objection-action";
import { ZBulkObjectionAction } from "@/lib/objections/admin/bulk-objection-schema";
import { closePgPool } from "@/lib/pg";
import { createAdmin } from "@/test/factories";

// The shared test database: every address here has this file's own domain.
const domain = `bulk-${randomUUID().slice(0, 8)}.example`;
let pool: pg.Pool;
let reviewer: TAdminActor;

const insertMember = async (local: string) =>
  (await pool.query<{ id: string }>(`INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $2, 'DE', '1980-01-01') RETURNING id`, [`${local}-${randomUUID()}`, `${local}@${domain}`]))
    .rows[0]!.id;

const insertObjection = async (local: string) =>
  (await pool.query<{ id: string }>(`INSERT INTO "Objection" (email, country, source) VALUES ($1, 'DE', 'direct') RETURNING id`, [`${local}@${domain}`])).rows[0]!.id;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  reviewer = await createAdmin({ db: pool, role: "reviewer" });
});

afterAll(async () => {
  await db().$disconnect();
  await closePgPool();
  await pool.end();
});

describe("bulkObjectionAction", () => {
  it("matches each selected objection to the one member with its address, and says why not for the rest", async () => {
    const single = await insertMember("single");
    await insertMember("twin");
    await insertMember("twin");
    const ids = [await insertObjection("single"), await insertObjection("twin"), await insertObjection("nobody")];

    const results = await bulkObjectionAction({ actor: reviewer, input: { action: "match", objectionIds: [...ids, ids[0]!] } });

    expect(results.map(({ id, ok }) => [id, ok])).toEqual([
      [ids[0], true],
      [ids[1], false],
      [ids[2], false],
    ]);
    expect(results[1]!.message).toMatch(/Several members/);
    expect(results[2]!.message).toMatch(/No member/);
    expect((await db().objection.findUniqueOrThrow({ where: { id: ids[0]! } })).memberId).toBe(single);
    expect(await db().objectionEvent.count({ where: { objectionId: ids[0]!, type: "matched", actorId: reviewer.id } })).toBe(1);
    // Matching again: already matched, reported for that item.
    const again = await bulkObjectionAction({ actor: reviewer, input: { action: "match", objectionIds: [ids[0]!] } });
    expect(again).toEqual([{ id: ids[0], ok: false, message: "Already matched to a member." }]);
  });

  it("leaves an objection whose member lives in another country for its own page, where a reason can be typed", async () => {
    await pool.query(`INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $2, 'AT', '1980-01-01')`, [`abroad-${randomUUID()}`, `abroad@${domain}`]);
    const id = await insertObjection("abroad");
    expect(await bulkObjectionAction({ actor: reviewer, input: { action: "match", objectionIds: [id] } })).toEqual([
      { id, ok: false, message: "The member's country differs from the objection's: match it from its own page, with a reason." },
    ]);
    expect((await db().objection.findUniqueOrThrow({ where: { id } })).memberId).toBeNull();
  });

  it("adds one note to each, marks spam once per objection, and reports an unknown id", async () => {
    const ids = [await insertObjection("n1"), await insertObjection("n2")];
    const notes = await bulkObjectionAction({ actor: reviewer, input: { action: "note", objectionIds: ids, note: "Checked with support." } });
    expect(notes.every((result) => result.ok)).toBe(true);
    expect(await db().objectionEvent.count({ where: { objectionId: { in: ids }, type: "note_added" } })).toBe(2);

    const missing = randomUUID();
    const spam = await bulkObjectionAction({ actor: reviewer, input: { action: "spam", objectionIds: [ids[0]!, missing] } });
    expect(spam).toEqual([
      { id: ids[0], ok: true, message: "Marked as spam." },
      { id: missing, ok: false, message: "There is no such objection." },
    ]);
    expect(await db().auditEvent.count({ where: { actorId: reviewer.id, action: "objection_spam" } })).toBe(1);
  });

  it("refuses a note holding NUL or another control character in the bulk form's schema, stores none, and keeps line breaks and tabs", async () => {
    const ids = [await insertObjection("ctl1"), await insertObjection("ctl2")];
    for (const note of ["bad\u0000note", "bad\u001bnote", "bad\u0085note"]) {
      const parsed = ZBulkObjectionAction.safeParse({ action: "note", objectionIds: ids, note });
      expect(parsed.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([{ path: ["note"], message: expect.stringMatching(/control characters/) }]);
      const results = await bulkObjectionAction({ actor: reviewer, input: { action: "note", objectionIds: ids, note } });
      expect(results.map(({ ok, message }) => ({ ok, message }))).toEqual(ids.map(() => ({ ok: false, message: expect.stringMatching(/control characters/) })));
    }
    expect(await db().objectionEvent.count({ where: { objectionId: { in: ids }, type: "note_added" } })).toBe(0);
    const note = "Line one.\r\n\tLine two.";
    expect(ZBulkObjectionAction.parse({ action: "note", objectionIds: ids, note })).toMatchObject({ note });
    expect((await bulkObjectionAction({ actor: reviewer, input: { action: "note", objectionIds: ids, note } })).every((result) => result.ok)).toBe(true);
  });

  it("refuses a viewer as a whole", async () => {
    const viewer = await createAdmin({ db: pool, role: "viewer" });
    await expect(bulkObjectionAction({ actor: viewer, input: { action: "spam", objectionIds: [randomUUID()] } })).rejects.toMatchObject({ code: "forbidden" });
  });
});
