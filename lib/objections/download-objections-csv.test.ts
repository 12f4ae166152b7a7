import { randomUUID } from "node:crypto";

import { parse } from "csv-parse/sync";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TAdminActor } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { DOWNLOAD_COLUMNS, DOWNLOAD_COLUMNS_WITHOUT_ADDRESSES, downloadObjectionsCsv } from "@/lib/objections/download-objections-csv";
import { ZObjectionFilters } from "@/lib/objections/objection-filters";
import { openSearch, readObjectionFilters, sealSearch } from "@/lib/objections/objection-filters-url";
import { closePgPool } from "@/lib/pg";
import { createAdmin } from "@/test/factories";

// The shared test database: every row here has this file's own domain, and the download filters by a
// country no other test uses with this run's date range.
const domain = `dl-${randomUUID().slice(0, 8)}.example`;
let pool: pg.Pool;
let reviewer: TAdminActor;

const readAll = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  reviewer = await createAdmin({ db: pool, role: "reviewer" });
  await pool.query(
    `INSERT INTO "Objection" (email, country, source, "effectiveAt", reason)
     SELECT 'p' || i || '@' || $1, 'LI', 'direct', '1999-01-01T00:00:00Z'::timestamptz + i * interval '1 minute', CASE WHEN i % 2 = 0 THEN 'why' END
       FROM generate_series(1, 25) AS i`,
    [domain],
  );
  // A cell a spreadsheet would run as a formula.
  await pool.query(`INSERT INTO "Objection" (email, country, source, "effectiveAt") VALUES ($1, 'LI', 'gpc', '1999-02-01T00:00:00Z')`, [`=cmd@${domain}`]);
});

afterAll(async () => {
  await db().$disconnect();
  await closePgPool();
  await pool.end();
});

describe("downloadObjectionsCsv", () => {
  it("streams the filtered rows in the list's order, addresses in full when a reason is given, formulas escaped, and audits filters, reason and count", async () => {
    const filters = ZObjectionFilters.parse({ country: "LI", from: "1999-01-01", to: "1999-12-31" });
    // A small batch, so the file is read in several pulls.
    const withAddresses = { reason: "The DPO asked for the list of LI objectors." };
    const text = await readAll(await downloadObjectionsCsv({ actor: reviewer, filters, withAddresses, batchSize: 4 }));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...DOWNLOAD_COLUMNS]);
    expect(rows).toHaveLength(26);
    expect(rows[0]!.email).toBe(`'=cmd@${domain}`);
    expect(rows.slice(1).map((row) => row.email)).toEqual(Array.from({ length: 25 }, (_, i) => `p${25 - i}@${domain}`));
    expect(rows[1]).toMatchObject({ country: "LI", source: "direct", status: "effective", effective_at: "1999-01-01T00:25:00.000Z", has_reason: "no", member_external_id: "" });

    // One event before the first row (a crash mid-stream still leaves it), one with the count at the end.
    const audits = await db().auditEvent.findMany({ where: { actorId: reviewer.id, action: "objections_download" }, orderBy: { id: "asc" } });
    const filtersAudited = { country: "LI", from: "1999-01-01", to: "1999-12-31", sort: "effectiveAt", dir: "desc" };
    expect(audits.map((audit) => audit.detail)).toEqual([
      { filters: filtersAudited, addresses: true, reason: withAddresses.reason, started: true },
      { filters: filtersAudited, addresses: true, reason: withAddresses.reason, rows: 26, complete: true },
    ]);
  });

  it("by default leaves the addresses out, and audits that it did; with addresses it refuses an empty reason before anything is read", async () => {
    const actor = await createAdmin({ db: pool, role: "reviewer" });
    const filters = ZObjectionFilters.parse({ country: "LI", from: "1999-01-01", to: "1999-12-31" });
    const text = await readAll(await downloadObjectionsCsv({ actor, filters }));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...DOWNLOAD_COLUMNS_WITHOUT_ADDRESSES]);
    expect(Object.keys(rows[0]!)).not.toContain("email");
    expect(rows).toHaveLength(26);
    expect(text).not.toContain("@");
    const filtersAudited = { country: "LI", from: "1999-01-01", to: "1999-12-31", sort: "effectiveAt", dir: "desc" };
    expect((await db().auditEvent.findMany({ where: { actorId: actor.id, action: "objections_download" }, orderBy: { id: "asc" } })).map((audit) => audit.detail)).toEqual([
      { filters: filtersAudited, addresses: false, started: true },
      { filters: filtersAudited, addresses: false, rows: 26, complete: true },
    ]);

    for (const reason of ["", "   ", "x".repeat(501), "bell\u0007"]) {
      await expect(downloadObjectionsCsv({ actor, filters, withAddresses: { reason } })).rejects.toMatchObject({ code: "invalid" });
    }
    expect(await db().auditEvent.count({ where: { actorId: actor.id } })).toBe(2);
  });

  it("records a search by its kind, never its text, and a download cut short as incomplete", async () => {
    const actor = await createAdmin({ db: pool, role: "admin" });
    const filters = ZObjectionFilters.parse({ q: `p3@${domain}` });
    expect(await readAll(await downloadObjectionsCsv({ actor, filters, withAddresses: { reason: "Checking one address." } }))).toContain(`p3@${domain}`);
    const stream = await downloadObjectionsCsv({ actor, filters: ZObjectionFilters.parse({ country: "LI" }), batchSize: 2 });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    const audits = await db().auditEvent.findMany({ where: { actorId: actor.id, action: "objections_download" }, orderBy: { id: "asc" } });
    expect(audits.map((audit) => audit.detail)).toEqual([
      { filters: { search: "email", sort: "effectiveAt", dir: "desc" }, addresses: true, reason: "Checking one address.", started: true },
      { filters: { search: "email", sort: "effectiveAt", dir: "desc" }, addresses: true, reason: "Checking one address.", rows: 1, complete: true },
      { filters: { country: "LI", sort: "effectiveAt", dir: "desc" }, addresses: false, started: true },
      { filters: { country: "LI", sort: "effectiveAt", dir: "desc" }, addresses: false, rows: expect.any(Number), complete: false },
    ]);
    expect(JSON.stringify(audits.map((audit) => audit.detail))).not.toContain("@");
  });

  it("needs a reviewer: a viewer is refused before anything is read", async () => {
    const viewer = await createAdmin({ db: pool, role: "viewer" });
    await expect(downloadObjectionsCsv({ actor: viewer, filters: ZObjectionFilters.parse({}) })).rejects.toMatchObject({ code: "forbidden" });
    expect(await db().auditEvent.count({ where: { actorId: viewer.id } })).toBe(0);
  });

  it("keeps the search out of the URL: sealed, and only this app can open it", () => {
    const sealed = sealSearch("Jane@Example.eu");
    expect(sealed).not.toContain("Jane");
    expect(openSearch(sealed)).toBe("Jane@Example.eu");
    // One bit of the ciphertext flipped: always a change (replacing characters could leave the bytes as they were).
    const bytes = Buffer.from(sealed, "base64url");
    bytes[bytes.length - 1]! ^= 1;
    expect(openSearch(bytes.toString("base64url"))).toBeNull();
    const read = readObjectionFilters(new URLSearchParams({ s: sealed, country: "de", q: "ignored" }));
    expect(read).toMatchObject({ ok: true, filters: { q: "Jane@Example.eu", country: "DE" } });
    expect(readObjectionFilters(new URLSearchParams({ s: "forged" })).ok).toBe(false);
    // A plain search is taken as an external id only.
    expect(readObjectionFilters({ q: "ext-42" })).toMatchObject({ ok: true, filters: { q: "ext-42" } });
    expect(readObjectionFilters({ q: "jane@example.eu" })).toMatchObject({ ok: false, filters: { sort: "effectiveAt", dir: "desc" } });
    expect(readObjectionFilters({ q: "jane@example.eu" }).filters.q).toBeUndefined();
  });
});
