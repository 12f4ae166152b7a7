import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";

import { LINK_HOLDER } from "@/lib/auth/actor";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { stopJobs } from "@/lib/jobs";
import { submitObjection } from "@/lib/objections/submit-objection";
import { closePgPool } from "@/lib/pg";
import { applyDelta, exportSettingsFor, insertMembers, readCsvRows, TEST_PUBLIC_KEY, withdraw } from "@/test/export-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

// Enough runs that the deltas cross every kind of change (a new objection, a withdrawal, a member
// renamed) while traffic commits under them; the test counts each kind. About 2 s.
const RUNS = 10;

let database: { name: string; url: string };
let pool: pg.Pool;
let folder: string;

beforeAll(async () => {
  database = await createTestDatabase("objection_export_soak");
  Object.assign(process.env, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  folder = mkdtempSync(path.join(tmpdir(), "objection-export-soak-"));
});

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
  rmSync(folder, { recursive: true, force: true });
});

it(`keeps previous snapshot + delta = snapshot over ${RUNS} runs while objections, withdrawals and renames keep coming`, async () => {
  const members = await insertMembers({ pool, count: 400, prefix: "soak" });
  let stop = false;
  let writes = 0;
  // Traffic that never waits for the exporter: new objections through the form's own path,
  // withdrawals, and members renamed by the platform's sync, all committing while runs read.
  const traffic = async (lane: number) => {
    for (let step = 0; !stop; step++) {
      const member = members[(step * 7 + lane * 101) % members.length]!;
      const action = (step + lane) % 5;
      if (action < 3) await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, source: "in_app_link", country: "DE" });
      else if (action === 3) {
        const live = await pool.query<{ id: string }>(`SELECT id FROM "Objection" WHERE "memberId" = $1 AND status = 'effective'`, [member.id]);
        if (live.rows[0]) await withdraw({ db: pool, objectionId: live.rows[0].id });
      } else await pool.query(`UPDATE "Member" SET "externalId" = $2 WHERE id = $1`, [member.id, `soak-renamed-${lane}-${step}`]);
      writes++;
    }
  };
  const lanes = [0, 1, 2].map(traffic);

  const settings = exportSettingsFor({ storage: exportStorageAt(folder) });
  let previous = await runExport(settings);
  let changedRuns = 0;
  const changes = { added: 0, removed: 0, changed: 0 };
  for (let index = 1; index < RUNS; index++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const manifest = await runExport(settings);
    expect(manifest.previousRunId).toBe(previous.runId);
    const delta = readCsvRows({ folder, runId: manifest.runId, name: "delta.csv" });
    if (delta.length > 0) changedRuns++;
    const before = readCsvRows({ folder, runId: previous.runId, name: "snapshot.csv" });
    const held = new Set(before.map((row) => row.objection_id));
    for (const row of delta) {
      if (row.op === "remove") changes.removed++;
      else if (held.has(row.objection_id)) changes.changed++;
      else changes.added++;
    }
    const expected = applyDelta({ snapshot: before, delta });
    expect(readCsvRows({ folder, runId: manifest.runId, name: "snapshot.csv" })).toEqual(expected);
    expect(await verifyExportRun({ storage: exportStorageAt(folder), runId: manifest.runId, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true, problems: [] });
    previous = manifest;
  }
  stop = true;
  await Promise.all(lanes);
  expect(writes).toBeGreaterThan(RUNS);
  expect(changedRuns).toBeGreaterThan(RUNS / 2);
  // Every kind of change crossed a run boundary: new objections, withdrawals, renamed members.
  expect(changes.added).toBeGreaterThan(0);
  expect(changes.removed).toBeGreaterThan(0);
  expect(changes.changed).toBeGreaterThan(0);

  // Once the traffic has stopped, one more run holds exactly what is effective.
  const last = await runExport(settings);
  const effective = await pool.query<{ id: string }>(`SELECT id FROM "Objection" WHERE status = 'effective'`);
  expect(readCsvRows({ folder, runId: last.runId, name: "snapshot.csv" }).map((row) => row.objection_id).sort()).toEqual(effective.rows.map((row) => row.id).sort());
});
