import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TAdminActor } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { importPriorObjections, PRIOR_IMPORT_MAX_BYTES } from "@/lib/objections/import-prior-objections";
import { closePgPool } from "@/lib/pg";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { exportSettingsFor, readCsvRows } from "@/test/export-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";
import { createAdmin } from "@/test/factories";

let database: { name: string; url: string };
let pool: pg.Pool;
let folder: string;
let admin: TAdminActor;

const NOW = new Date("2026-11-29T12:00:00Z");

const insertMember = async ({ externalId, email, country = "DE" }: { externalId: string; email: string; country?: string }) =>
  (
    await pool.query<{ id: string }>(`INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $2, $3, '1980-01-01') RETURNING id`, [
      externalId,
      email,
      country,
    ])
  ).rows[0]!.id;

beforeAll(async () => {
  // The export test reads every objection in the database: this file has a database of its own.
  database = await createTestDatabase("objection_prior");
  Object.assign(process.env, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  folder = mkdtempSync(path.join(tmpdir(), "objection-prior-"));
  admin = await createAdmin({ db: pool, role: "admin" });
});

afterAll(async () => {
  await db().$disconnect();
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
  rmSync(folder, { recursive: true, force: true });
});

describe("importPriorObjections", () => {
  it("imports good rows as prior objections with their date, reports every line, audits each committed part, and the next export carries them", async () => {
    const storage = exportStorageAt(folder);
    // A chain exists before the import, so the imported objectors arrive as the next run's delta.
    await runExport({ ...exportSettingsFor({ storage }) });

    const byExternalId = await insertMember({ externalId: "prior-ext-1", email: "anna@example.eu", country: "FR" });
    const byEmail = await insertMember({ externalId: "prior-ext-2", email: "bert@example.eu", country: "IT" });
    const alreadyLive = await insertMember({ externalId: "prior-ext-3", email: "cleo@example.eu" });
    await pool.query(`INSERT INTO "Objection" ("memberId", email, country, source) VALUES ($1, 'cleo@example.eu', 'DE', 'email_link')`, [alreadyLive]);
    await insertMember({ externalId: "prior-twin-1", email: "twin@example.eu" });
    await insertMember({ externalId: "prior-twin-2", email: "twin@example.eu" });

    const csv = [
      "external_id,email,objected_at,country,reason",
      "prior-ext-1,,2025-03-14,,I said no in 2025",
      ",  Bert@Example.EU ,2025-04-01T09:30:00+02:00,,",
      ",dana@example.eu,2025-05-02,es,",
      "prior-ext-3,,2025-01-01,,",
      "prior-ext-1,,2025-06-01,,",
      ",twin@example.eu,2025-02-02,NL,",
      "",
      ",nobody@example.eu,2025-02-02,,",
      "unknown-ext,,2025-02-02,DE,",
      ",bad-address,2025-02-02,DE,",
      ",eve@example.eu,2027-01-01,DE,",
      ",eve@example.eu,14/03/2025,DE,",
      `,eve@example.eu,2025-02-02,DE,null\u0000byte`,
      ",eve@example.eu,2025-02-30,DE,",
      ',eve@example.eu,2025-02-02,DE,"unclosed',
    ].join("\n");

    // The pipeline listens: each imported objection is pushed to it, as a submitted one is.
    await createWebhookEndpoint({ actor: admin, url: "https://pipeline.example/hooks", events: ["objection.effective"], resolve: async () => ["93.184.216.34"] });
    const result = await importPriorObjections({ actor: admin, csv, now: NOW, batchSize: 2 });

    expect(result.lines.map(({ line, outcome }) => [line, outcome])).toEqual([
      [2, "matched_external_id"],
      [3, "matched_email"],
      [4, "unmatched"],
      [5, "skipped_live"],
      [6, "skipped_live"],
      [7, "unmatched"],
      [9, "error"],
      [10, "error"],
      [11, "error"],
      [12, "error"],
      [13, "error"],
      [14, "error"],
      [15, "error"],
      [16, "error"],
    ]);
    const messages = Object.fromEntries(result.lines.map((line) => [line.line, line.message]));
    expect(messages[9]).toMatch(/country is required/);
    expect(messages[10]).toMatch(/no member has this external_id/);
    expect(messages[11]).toMatch(/not an email address/);
    expect(messages[12]).toMatch(/future/);
    expect(messages[13]).toMatch(/ISO date/);
    expect(messages[14]).toMatch(/control character/);
    expect(messages[15]).toMatch(/ISO date/);
    expect(messages[16]).toMatch(/not valid CSV/);
    // Messages never echo an address.
    expect(JSON.stringify(result.lines)).not.toContain("@");
    expect(result.counts).toEqual({ rows: 14, imported: 4, matched_external_id: 1, matched_email: 1, unmatched: 2, skipped_live: 2, error: 8 });

    const stored = await db().objection.findMany({ where: { source: "prior" }, orderBy: { effectiveAt: "asc" } });
    expect(stored.map(({ memberId, email, country, effectiveAt, status, reason }) => ({ memberId, email, country, effectiveAt: effectiveAt.toISOString(), status, reason }))).toEqual([
      { memberId: null, email: "twin@example.eu", country: "NL", effectiveAt: "2025-02-02T00:00:00.000Z", status: "effective", reason: null },
      { memberId: byExternalId, email: "anna@example.eu", country: "FR", effectiveAt: "2025-03-14T00:00:00.000Z", status: "effective", reason: "I said no in 2025" },
      { memberId: byEmail, email: "bert@example.eu", country: "IT", effectiveAt: "2025-04-01T07:30:00.000Z", status: "effective", reason: null },
      { memberId: null, email: "dana@example.eu", country: "ES", effectiveAt: "2025-05-02T00:00:00.000Z", status: "effective", reason: null },
    ]);
    const events = await db().objectionEvent.findMany({ where: { objectionId: { in: stored.map((row) => row.id) } } });
    expect(events).toHaveLength(4);
    expect(events.every((event) => event.type === "created" && event.actorType === "admin" && event.actorId === admin.id)).toBe(true);
    expect(events[0]!.detail).toEqual({ imported: true });
    const queued = await pool.query<{ objectionId: string }>(`SELECT d."objectionId" FROM "WebhookDelivery" d JOIN "WebhookEvent" e ON e.id = d."eventId" WHERE e.type = 'objection.effective'`);
    expect(queued.rows.map((row) => row.objectionId).sort()).toEqual(stored.map((row) => row.id).sort());

    // One audit event per committed part (4 rows to insert after the lookup, 2 a part), the last with the file's counts.
    const audits = await db().auditEvent.findMany({ where: { action: "objections_import", actorId: admin.id }, orderBy: { id: "asc" } });
    expect(audits.map((audit) => (audit.detail as { part: number }).part)).toEqual([1, 2]);
    expect(new Set(audits.map((audit) => (audit.detail as { importId: string }).importId)).size).toBe(1);
    expect(audits.at(-1)!.detail).toMatchObject({ parts: 2, rows: 14, imported: 4, matchedByExternalId: 1, matchedByEmail: 1, unmatched: 2, skippedLive: 2, errors: 8 });
    expect(JSON.stringify(audits.map((audit) => audit.detail))).not.toContain("@");

    // The next export adds every imported objector, with its original date and source prior.
    const next = await runExport({ ...exportSettingsFor({ storage }) });
    const delta = readCsvRows({ folder, runId: next.runId, name: "delta.csv" });
    const hmac = (email: string) => createHmac("sha256", TEST_ENV.EXPORT_HASH_KEY).update(email).digest("hex");
    const added = delta.filter((row) => row.op === "add" && row.source === "prior");
    expect(added.map((row) => row.objection_id).sort()).toEqual(stored.map((row) => row.id).sort());
    expect(added.find((row) => row.member_external_id === "prior-ext-1")).toMatchObject({ effective_at: "2025-03-14T00:00:00.000Z", country: "FR" });
    expect(added.find((row) => row.email_hmac === hmac("dana@example.eu"))).toMatchObject({ member_external_id: "", country: "ES" });

    // Imported objectors are live: a campaign's audience (members without a live objection) leaves them out.
    const { rows: audience } = await pool.query(
      `SELECT m."externalId" FROM "Member" m WHERE m."externalId" LIKE 'prior-ext-%'
         AND NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o."memberId" = m.id AND o.status = 'effective')`,
    );
    expect(audience).toEqual([]);
  });

  it("importing the same file again skips every matched row and audits again", async () => {
    await insertMember({ externalId: "again-1", email: "again@example.eu" });
    const csv = "external_id,objected_at\nagain-1,2024-10-10\n";
    expect((await importPriorObjections({ actor: admin, csv, now: NOW })).counts).toMatchObject({ imported: 1, matched_external_id: 1 });
    const second = await importPriorObjections({ actor: admin, csv, now: NOW });
    expect(second.lines).toEqual([{ line: 2, outcome: "skipped_live", message: "member again-1 already has a live objection" }]);
  });

  it("reports a row with NUL or another control character by its line and imports the rest; a reason keeps its line breaks and tabs", async () => {
    const id = randomUUID();
    await insertMember({ externalId: `ctl-${id}-ok`, email: `ctl-${id}-ok@example.eu` });
    await insertMember({ externalId: `ctl-${id}-reason`, email: `ctl-${id}-reason@example.eu` });
    const csv = [
      "external_id,email,objected_at,country,reason", // 1
      `ctl-${id}-ok,,2025-01-01,,`, // 2: imported
      `ctl-${id}-nul\u0000,,2025-01-01,,`, // 3: NUL in external_id
      `,ctl-${id}\u0000@example.eu,2025-01-01,DE,`, // 4: NUL in email
      `,ctl-${id}-country@example.eu,2025-01-01,D\u0000,`, // 5: NUL in country
      `,ctl-${id}-date@example.eu,2025-01-01\u0000,DE,`, // 6: NUL in objected_at
      `,ctl-${id}-why@example.eu,2025-01-01,DE,why\u0000not`, // 7: NUL in reason
      `,ctl-${id}-esc@example.eu,2025-01-01,DE,why\u001bnot`, // 8: an escape character in reason
      `ctl-${id}\tx,,2025-01-01,,`, // 9: a tab in external_id
      `ctl-${id}-reason,,2025-01-01,,"first line\n\tsecond line"`, // 10-11: imported, with its line break and tab
    ].join("\n");

    const { lines } = await importPriorObjections({ actor: admin, csv, now: NOW });

    expect(lines.map(({ line, outcome }) => `${line}:${outcome}`)).toEqual([
      "2:matched_external_id",
      "3:error",
      "4:error",
      "5:error",
      "6:error",
      "7:error",
      "8:error",
      "9:error",
      "11:matched_external_id",
    ]);
    for (const line of lines.filter(({ outcome }) => outcome === "error")) expect(line.message).toMatch(/control character/);
    const reason = (await pool.query<{ reason: string }>(`SELECT o.reason FROM "Objection" o JOIN "Member" m ON m.id = o."memberId" WHERE m."externalId" = $1`, [`ctl-${id}-reason`])).rows[0]?.reason;
    expect(reason).toBe("first line\n\tsecond line");
  });

  it("imports internationalised addresses: matched by the normalised address, or kept normalised when no member has it", async () => {
    const id = randomUUID();
    const memberId = await insertMember({ externalId: `idn-${id}`, email: `jürgen-${id}@müller.de` });
    const csv = ["email,objected_at,country", `JÜRGEN-${id}@MÜLLER.DE,2025-01-01,`, `Ju\u0308rgen-other-${id}@mu\u0308ller.de,2025-01-02,AT`].join("\n");

    const { lines } = await importPriorObjections({ actor: admin, csv, now: NOW });

    expect(lines.map(({ line, outcome }) => `${line}:${outcome}`)).toEqual(["2:matched_email", "3:unmatched"]);
    const stored = await pool.query<{ memberId: string | null; email: string }>(`SELECT "memberId", email FROM "Objection" WHERE id = ANY($1) ORDER BY "memberId" NULLS FIRST`, [lines.map((line) => line.objectionId)]);
    expect(stored.rows).toEqual([
      { memberId: null, email: `j\u00fcrgen-other-${id}@m\u00fcller.de` },
      { memberId, email: `jürgen-${id}@müller.de` },
    ]);
  });

  it("reports a row whose country is not an assigned ISO 3166-1 code, and imports GR, NO and LI", async () => {
    const id = randomUUID();
    const csv = ["email,objected_at,country", ...["XX", "ZZ", "AA", "GR", "NO", "LI"].map((country) => `${country}-${id}@example.eu,2025-01-01,${country}`)].join("\n");

    const { lines } = await importPriorObjections({ actor: admin, csv, now: NOW });

    expect(lines.map(({ line, outcome }) => `${line}:${outcome}`)).toEqual(["2:error", "3:error", "4:error", "5:unmatched", "6:unmatched", "7:unmatched"]);
    for (const line of lines.slice(0, 3)) expect(line.message).toMatch(/^country must be an assigned ISO 3166-1 alpha-2 code/);
  });

  it("refuses a bad header, an empty or oversized file, and anyone but an admin", async () => {
    await expect(importPriorObjections({ actor: admin, csv: "email,when\nx@example.eu,2025-01-01\n" })).rejects.toMatchObject({ code: "invalid", message: expect.stringMatching(/lacks objected_at/) });
    await expect(importPriorObjections({ actor: admin, csv: "country,objected_at\nDE,2025-01-01\n" })).rejects.toMatchObject({ message: expect.stringMatching(/needs external_id or email/) });
    await expect(importPriorObjections({ actor: admin, csv: "jane@example.eu,2025-01-01\n" })).rejects.toMatchObject({ message: expect.not.stringContaining("jane") });
    await expect(importPriorObjections({ actor: admin, csv: "" })).rejects.toMatchObject({ code: "invalid", message: expect.stringMatching(/empty/) });
    await expect(importPriorObjections({ actor: admin, csv: "email,objected_at\n" })).rejects.toMatchObject({ code: "invalid", message: expect.stringMatching(/no rows/) });
    await expect(importPriorObjections({ actor: admin, csv: Buffer.alloc(PRIOR_IMPORT_MAX_BYTES + 1, 0x61) })).rejects.toMatchObject({ code: "invalid", message: expect.stringMatching(/larger than 5 MB/) });
    const reviewer = await createAdmin({ db: pool, role: "reviewer" });
    await expect(importPriorObjections({ actor: reviewer, csv: "email,objected_at\nx@example.eu,2025-01-01\n" })).rejects.toMatchObject({ code: "forbidden" });
  });
});
