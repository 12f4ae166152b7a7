import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { matchObjection } from "@/lib/objections/admin/match-objection";
import { unmatchObjection } from "@/lib/objections/admin/unmatch-objection";
import { closePgPool } from "@/lib/pg";
import { applyDelta, exportSettingsFor, readCsvRows, TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { createAdmin, createMember } from "@/test/factories";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// A match and an unmatch as the pipeline sees them: each is one objection's row removed and added
// again, with and then without the member's external id, in the next run's delta.

const hmac = (email: string) => createHmac("sha256", TEST_ENV.EXPORT_HASH_KEY).update(email).digest("hex");

let database: { name: string; url: string };
let pool: pg.Pool;
let folder: string;

const storage = () => exportStorageAt(folder);
const run = () => runExport({ ...exportSettingsFor({ storage: storage() }) });
const rowsOf = (runId: string, kind: "snapshot" | "delta") => readCsvRows({ folder, runId, name: `${kind}.csv` });
const withoutSeq = (rows: Record<string, string | undefined>[]) => rows.map(({ seq: _seq, ...row }) => row);

beforeAll(async () => {
  // Exports hold every objection in the database: this file has a database of its own.
  database = await createTestDatabase("objection_match_export");
  Object.assign(process.env, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  folder = mkdtempSync(path.join(tmpdir(), "objection-match-export-"));
});

afterAll(async () => {
  await db().$disconnect();
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
  rmSync(folder, { recursive: true, force: true });
});

describe("a match and an unmatch in the next export", () => {
  it("a match re-adds the objection's row with the member's external id; an unmatch re-adds it without; each delta applies to the last snapshot", async () => {
    const reviewer = await createAdmin({ db: pool, role: "reviewer" });
    const email = `new.person-${randomUUID().slice(0, 8)}@example.com`;
    const { rows } = await pool.query<{ id: string }>(`INSERT INTO "Objection" (email, country, source) VALUES ($1, 'DE', 'direct') RETURNING id`, [email]);
    const objectionId = rows[0]!.id;
    const member = await createMember({ db: pool, externalId: `matched-${randomUUID()}`, country: "AT" });

    const first = await run();
    const unmatchedRow = { objection_id: objectionId, member_external_id: "", email_hmac: hmac(email), country: "DE", source: "direct" };
    expect(rowsOf(first.runId, "snapshot")).toEqual([expect.objectContaining(unmatchedRow)]);

    // The member differs in address and country: matched only with a reason.
    await matchObjection({ actor: reviewer, objectionId, memberExternalId: member.externalId, reason: "Support confirmed the account." });
    const afterMatch = await run();
    const matchDelta = rowsOf(afterMatch.runId, "delta");
    // The row keeps the objection's own address and country; only the external id is new.
    const matchedRow = { ...unmatchedRow, member_external_id: member.externalId };
    expect(matchDelta).toEqual([
      expect.objectContaining({ op: "remove", ...unmatchedRow }),
      expect.objectContaining({ op: "add", ...matchedRow }),
    ]);
    expect(withoutSeq(applyDelta({ snapshot: rowsOf(first.runId, "snapshot"), delta: matchDelta }))).toEqual(withoutSeq(rowsOf(afterMatch.runId, "snapshot")));
    expect(rowsOf(afterMatch.runId, "snapshot")).toEqual([expect.objectContaining(matchedRow)]);

    await unmatchObjection({ actor: reviewer, objectionId, reason: "The account is someone else's." });
    const afterUnmatch = await run();
    const unmatchDelta = rowsOf(afterUnmatch.runId, "delta");
    expect(unmatchDelta).toEqual([expect.objectContaining({ op: "remove", ...matchedRow }), expect.objectContaining({ op: "add", ...unmatchedRow })]);
    expect(Number(unmatchDelta[0]!.seq)).toBeGreaterThan(Number(matchDelta[1]!.seq));
    expect(withoutSeq(applyDelta({ snapshot: rowsOf(afterMatch.runId, "snapshot"), delta: unmatchDelta }))).toEqual(withoutSeq(rowsOf(afterUnmatch.runId, "snapshot")));
    // The objection itself never left: the address stays excluded throughout.
    expect(rowsOf(afterUnmatch.runId, "snapshot")).toEqual([expect.objectContaining(unmatchedRow)]);
    expect(await verifyExportRun({ storage: storage(), runId: afterUnmatch.runId, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true });

    // Nothing changed since: the next delta is empty.
    expect(rowsOf((await run()).runId, "delta")).toEqual([]);
  });
});
