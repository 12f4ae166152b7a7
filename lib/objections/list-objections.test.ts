import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors/app-error";
import type { TAdminActor } from "@/lib/auth/roles";
import { listObjections, type TObjectionListRow } from "@/lib/objections/list-objections";
import { type TObjectionFiltersInput, ZObjectionFilters } from "@/lib/objections/objection-filters";
import { objectionReference } from "@/lib/objections/objection-reference";
import { closePgPool } from "@/lib/pg";
import { createAdmin } from "@/test/factories";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

let database: { name: string; url: string };
let pool: pg.Pool;

const viewer: TAdminActor = { kind: "admin", id: randomUUID(), role: "viewer" };

type TSeed = { id: string; email: string; country: string; effectiveAt: Date; externalId: string | null };
const seeded: TSeed[] = [];

// Every filter counts rows against this table of what was inserted, so the expectations follow the data.
const insertObjection = async ({
  email,
  country,
  effectiveAt,
  source = "direct",
  status = "effective",
  reason = null,
  member = null,
  spam = false,
  rejectionRequested = false,
}: {
  email: string;
  country: string;
  effectiveAt: Date;
  source?: string;
  status?: "effective" | "withdrawn" | "rejected";
  reason?: string | null;
  member?: { id: string; externalId: string } | null;
  spam?: boolean;
  rejectionRequested?: boolean;
}) => {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Objection" ("memberId", email, country, source, status, reason, "effectiveAt", "withdrawnAt", "rejectedAt", "spamAt",
                              "rejectionReason", "rejectionRequestedBy", "rejectionRequestedAt")
     VALUES ($1, $2, $3, $4::"ObjectionSource", $5::"ObjectionStatus", $6, $7,
             CASE WHEN $5 = 'withdrawn' THEN $7::timestamptz END, CASE WHEN $5 = 'rejected' THEN $7::timestamptz END,
             CASE WHEN $8 THEN now() END, CASE WHEN $9 THEN 'test' END, CASE WHEN $9 THEN gen_random_uuid() END, CASE WHEN $9 THEN now() END)
     RETURNING id`,
    [member?.id ?? null, email, country, source, status, reason, effectiveAt, spam, rejectionRequested],
  );
  seeded.push({ id: rows[0]!.id, email, country, effectiveAt, externalId: member?.externalId ?? null });
  return rows[0]!.id;
};

const insertMember = async (externalId: string, email: string) =>
  (
    await pool.query<{ id: string; externalId: string }>(
      `INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $2, 'DE', '1980-01-01') RETURNING id, "externalId"`,
      [externalId, email],
    )
  ).rows[0]!;

const list = (filters: TObjectionFiltersInput, cursor?: string | null, limit = 500, actor = viewer) => listObjections({ actor, filters: ZObjectionFilters.parse(filters), cursor, limit });

/** A reviewer who exists: an address search writes an audit event, which names its actor. */
const insertReviewer = () => createAdmin({ db: pool, role: "reviewer" });

const auditEventsOf = async (actorId: string) =>
  (await pool.query<{ action: string; detail: unknown }>(`SELECT action::text, detail FROM "AuditEvent" WHERE "actorId" = $1 ORDER BY id`, [actorId])).rows;

const ids = (rows: TObjectionListRow[]) => rows.map((row) => row.id);

/** Every page of a listing, following nextCursor. */
const allPages = async (filters: TObjectionFiltersInput, limit: number) => {
  const pages: TObjectionListRow[][] = [];
  let cursor: string | null = null;
  do {
    const page = await list(filters, cursor, limit);
    pages.push(page.rows);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
};

let member: { id: string; externalId: string };
let withdrawnId: string;
let rejectedId: string;
let reasonId: string;
let spamId: string;
let pendingId: string;
let priorId: string;

beforeAll(async () => {
  // The list shows every objection in the database: this file has a database of its own.
  database = await createTestDatabase("objection_list");
  Object.assign(process.env, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 4 });

  member = await insertMember("ext-list-1", "jane.doe@example.eu");
  const base = Date.parse("2026-03-01T12:00:00Z");
  // 45 plain objections over three countries, one per hour; five share the same instant so ties need the id.
  for (let i = 0; i < 45; i++) {
    const effectiveAt = new Date(i < 5 ? base : base + i * 3_600_000);
    await insertObjection({ email: `person${i}@example.eu`, country: ["DE", "FR", "IT"][i % 3]!, effectiveAt });
  }
  await insertObjection({ email: "jane.doe@example.eu", country: "DE", effectiveAt: new Date("2026-04-10T08:00:00Z"), member, source: "email_link" });
  withdrawnId = await insertObjection({ email: "w@example.eu", country: "NL", effectiveAt: new Date("2026-04-11T08:00:00Z"), status: "withdrawn" });
  rejectedId = await insertObjection({ email: "r@example.eu", country: "NL", effectiveAt: new Date("2026-04-12T08:00:00Z"), status: "rejected" });
  reasonId = await insertObjection({ email: "reason@example.eu", country: "AT", effectiveAt: new Date("2026-04-13T08:00:00Z"), reason: "No." });
  spamId = await insertObjection({ email: "spam@example.eu", country: "AT", effectiveAt: new Date("2026-04-14T08:00:00Z"), spam: true });
  pendingId = await insertObjection({ email: "pending@example.eu", country: "AT", effectiveAt: new Date("2026-04-15T08:00:00Z"), rejectionRequested: true });
  priorId = await insertObjection({ email: "prior@example.eu", country: "PL", effectiveAt: new Date("2025-02-01T00:00:00Z"), source: "prior" });
});

afterAll(async () => {
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
});

const newestFirst = (rows: TSeed[]) => [...rows].sort((a, b) => b.effectiveAt.getTime() - a.effectiveAt.getTime() || (a.id < b.id ? 1 : -1));

describe("listObjections", () => {
  it("lists newest first, addresses masked, with the member's external id and flags", async () => {
    const { rows, nextCursor } = await list({});
    expect(nextCursor).toBeNull();
    expect(ids(rows)).toEqual(newestFirst(seeded).map((row) => row.id));
    const jane = rows.find((row) => row.memberExternalId === "ext-list-1")!;
    expect(jane).toMatchObject({ maskedEmail: "j•••@example.eu", country: "DE", source: "email_link", status: "effective", hasReason: false, isSpam: false });
    expect(JSON.stringify(rows)).not.toContain("jane.doe");
    expect(rows.every((row) => row.maskedEmail.includes("•••"))).toBe(true);
    expect(rows.find((row) => row.id === spamId)?.isSpam).toBe(true);
    expect(rows.find((row) => row.id === pendingId)?.rejectionPending).toBe(true);
    expect(rows.find((row) => row.id === reasonId)?.hasReason).toBe(true);
  });

  it("pages through every row once, with no duplicates or gaps, in both orders and both sorts", async () => {
    for (const [sort, dir] of [
      ["effectiveAt", "desc"],
      ["effectiveAt", "asc"],
      ["country", "asc"],
      ["country", "desc"],
    ] as const) {
      const whole = (await list({ sort, dir })).rows;
      const pages = await allPages({ sort, dir }, 7);
      expect(pages.slice(0, -1).every((page) => page.length === 7)).toBe(true);
      expect(pages.flat().map((row) => row.id)).toEqual(ids(whole));
      expect(new Set(pages.flat().map((row) => row.id)).size).toBe(seeded.length);
    }
    const byCountry = (await list({ sort: "country", dir: "asc" })).rows;
    expect(byCountry.map((row) => row.country)).toEqual([...byCountry.map((row) => row.country)].sort());
  });

  it("keeps a filter across pages", async () => {
    const pages = await allPages({ country: "FR" }, 4);
    expect(pages.flat().map((row) => row.id)).toEqual(newestFirst(seeded.filter((row) => row.country === "FR")).map((row) => row.id));
  });

  it("filters by status, source, country, match, reason and dates", async () => {
    expect(ids((await list({ status: "withdrawn" })).rows)).toEqual([withdrawnId]);
    expect(ids((await list({ status: "rejected" })).rows)).toEqual([rejectedId]);
    expect((await list({ status: "effective" })).rows).toHaveLength(seeded.length - 2);
    expect(ids((await list({ source: "prior" })).rows)).toEqual([priorId]);
    expect((await list({ country: "at" })).rows.map((row) => row.id).sort()).toEqual([reasonId, spamId, pendingId].sort());
    expect((await list({ matched: "matched" })).rows.map((row) => row.memberExternalId)).toEqual(["ext-list-1"]);
    expect((await list({ matched: "unmatched" })).rows).toHaveLength(seeded.length - 1);
    expect(ids((await list({ hasReason: "yes" })).rows)).toEqual([reasonId]);
    expect((await list({ hasReason: "no" })).rows).toHaveLength(seeded.length - 1);
    // Whole days in UTC, both ends included.
    expect(ids((await list({ from: "2026-04-13", to: "2026-04-14" })).rows)).toEqual([spamId, reasonId]);
    expect(ids((await list({ to: "2025-12-31" })).rows)).toEqual([priorId]);
    expect((await list({ from: "2026-04-10" })).rows).toHaveLength(6);
    expect(ids((await list({ country: "AT", hasReason: "no", status: "effective" })).rows)).toEqual([pendingId, spamId]);
  });

  it("lists the waiting work by status: live objections with a rejection pending, and live objections matched to no member", async () => {
    expect(ids((await list({ status: "rejection_pending" })).rows)).toEqual([pendingId]);
    const unmatched = (await list({ status: "unmatched" })).rows;
    // Every live objection but Jane's (matched); not the withdrawn or the rejected one, though they are unmatched too.
    expect(ids(unmatched)).toEqual(newestFirst(seeded.filter((row) => row.externalId === null && row.id !== withdrawnId && row.id !== rejectedId)).map((row) => row.id));
    expect(unmatched).toHaveLength(seeded.length - 3);
    expect(ids((await list({ status: "unmatched", country: "AT", hasReason: "yes" })).rows)).toEqual([reasonId]);
    // The dashboard's links: the same values in the URL.
    expect(ZObjectionFilters.parse({ status: "rejection_pending" }).status).toBe("rejection_pending");
    expect(ZObjectionFilters.safeParse({ status: "pending" }).success).toBe(false);
    expect((await allPages({ status: "unmatched" }, 9)).flat().map((row) => row.id)).toEqual(ids(unmatched));
  });

  it("finds by exact email, normalised (for a reviewer), and by exact external id", async () => {
    const reviewer = await insertReviewer();
    const byEmail = (await list({ q: "  Jane.Doe@EXAMPLE.eu " }, null, 500, reviewer)).rows;
    expect(byEmail.map((row) => row.memberExternalId)).toEqual(["ext-list-1"]);
    expect((await list({ q: "ext-list-1" })).rows.map((row) => row.memberExternalId)).toEqual(["ext-list-1"]);
    expect((await list({ q: "person1@example.eu" }, null, 500, reviewer)).rows).toHaveLength(1);
    // Exact, never a prefix.
    expect((await list({ q: "person1@example" }, null, 500, reviewer)).rows).toHaveLength(0);
    expect((await list({ q: "ext-list" })).rows).toHaveLength(0);
  });

  it("refuses a viewer's search by full address, saying it needs the reviewer role, and audits nothing", async () => {
    const error = await list({ q: "jane.doe@example.eu" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "forbidden", message: expect.stringContaining("reviewer role") });
    expect(await auditEventsOf(viewer.id)).toEqual([]);
  });

  it("audits each search by full address a reviewer makes, with what it found but never the address", async () => {
    const reviewer = await insertReviewer();
    const found = await list({ q: "Jane.Doe@example.eu", country: "DE" }, null, 500, reviewer);
    await list({ q: "nobody-here@example.eu" }, null, 500, reviewer);
    // Other searches are not an address: they reveal nothing a viewer could not see.
    await list({ q: "ext-list-1" }, null, 500, reviewer);

    const events = await auditEventsOf(reviewer.id);
    expect(events).toEqual([
      { action: "objection_search", detail: { filters: { country: "DE", dir: "desc", search: "email", sort: "effectiveAt" }, found: 1, objectionIds: ids(found.rows) } },
      { action: "objection_search", detail: { filters: { dir: "desc", search: "email", sort: "effectiveAt" }, found: 0 } },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/@|jane|nobody/i);
  });

  it("finds an objection by the reference on its receipt, however it is typed, and by its id", async () => {
    const reference = objectionReference(reasonId);
    for (const q of [reference, reference.toLowerCase().replaceAll("-", " "), reasonId]) expect(ids((await list({ q })).rows)).toEqual([reasonId]);
    // Exact: a reference one digit off finds nothing.
    const other = `${reference.slice(0, -1)}${reference.endsWith("0") ? "1" : "0"}`;
    expect((await list({ q: other })).rows).toHaveLength(0);
  });

  it("refuses bad filters and a cursor from another sort, and lets a viewer in", async () => {
    expect(ZObjectionFilters.safeParse({ status: "nope" }).success).toBe(false);
    expect(ZObjectionFilters.safeParse({ from: "2026-02-31" }).success).toBe(false);
    expect(ZObjectionFilters.safeParse({ to: "2026-99-99" }).success).toBe(false);
    expect(ZObjectionFilters.safeParse({ from: "2026-05-01", to: "2026-04-01" }).success).toBe(false);
    expect(ZObjectionFilters.parse({ status: "", country: "" })).toEqual({ sort: "effectiveAt", dir: "desc" });
    // A search is an address or an external id: neither holds a control character, and PostgreSQL refuses NUL.
    for (const q of ["a\u0000b", "ext\nid", "x\u0085"]) expect(ZObjectionFilters.safeParse({ q }).error?.issues[0]?.path).toEqual(["q"]);
    // A country is an assigned ISO 3166-1 code (any, not only the EEA's: an objection keeps the country it was made with).
    for (const country of ["XX", "ZZ", "AA"]) expect(ZObjectionFilters.safeParse({ country }).error?.issues[0]?.path).toEqual(["country"]);
    expect(ZObjectionFilters.parse({ country: "gr" }).country).toBe("GR");
    const { nextCursor } = await list({}, null, 2);
    await expect(list({ sort: "country" }, nextCursor)).rejects.toBeInstanceOf(AppError);
    await expect(list({}, "not-a-cursor")).rejects.toMatchObject({ code: "invalid" });
  });
});
