import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { afterEach, describe, expect, it } from "vitest";

import { chainAuditLogs } from "@/lib/audit/chain-audit-log";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { UNCHAINED_GRACE_SECONDS } from "@/lib/audit/verify-unchained-rows";
import { asSuperuser, chainDatabase, insertAuditEvent, insertObjection, insertObjectionEvent } from "@/test/audit-chain-fixtures";
import { TEST_ENV } from "@/test/test-env";

// Each test breaks a chain on purpose: each has a database of its own.
let opened: Awaited<ReturnType<typeof chainDatabase>> | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

/** A database with `rows` chained rows in each table (ids 1…rows, chainSeq 1…rows). */
const chainedDatabase = async (rows = 6) => {
  opened = await chainDatabase();
  const { pool } = opened;
  const objectionId = await insertObjection(pool);
  for (let index = 0; index < rows; index++) {
    await insertAuditEvent({ db: pool, detail: { index } });
    await insertObjectionEvent({ db: pool, objectionId, detail: { index } });
  }
  await chainAuditLogs({ pool });
  return opened;
};

const idAt = async ({ pool, table, seq }: { pool: import("pg").Pool; table: string; seq: number }) =>
  (await pool.query<{ id: string }>(`SELECT id::text AS id FROM "${table}" WHERE "chainSeq" = $1`, [seq])).rows[0]!.id;

describe("verifyAuditChain", () => {
  it("passes an intact chain, and counts every row of both", async () => {
    const { pool } = await chainedDatabase();
    const verdict = await verifyAuditChain({ pool });
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, checked: { AuditEvent: 6, ObjectionEvent: 6 } });
  });

  it("names a row a superuser updated with the trigger off, and only that one", async () => {
    const { pool } = await chainedDatabase();
    const id = await idAt({ pool, table: "AuditEvent", seq: 3 });
    await asSuperuser({ pool, table: "AuditEvent", sql: `UPDATE "AuditEvent" SET detail = '{"index": 99}' WHERE id = $1`, values: [id] });
    const verdict = await verifyAuditChain({ pool });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([{ table: "AuditEvent", id, seq: "3", message: expect.stringContaining("its hash does not match its content") }]);
    expect(verdict.checked.AuditEvent).toBe(2);
  });

  it("names the place of a deleted row, and a row deleted from the end", async () => {
    const { pool } = await chainedDatabase();
    await asSuperuser({ pool, table: "ObjectionEvent", sql: `DELETE FROM "ObjectionEvent" WHERE "chainSeq" = 4` });
    await asSuperuser({ pool, table: "AuditEvent", sql: `DELETE FROM "AuditEvent" WHERE "chainSeq" = 6` });
    const verdict = await verifyAuditChain({ pool });
    expect(verdict.problems).toEqual([
      { table: "AuditEvent", id: null, seq: "6", message: expect.stringContaining("rows were deleted from its end") },
      { table: "ObjectionEvent", id: await idAt({ pool, table: "ObjectionEvent", seq: 5 }), seq: "4", message: expect.stringContaining("ObjectionEvent chainSeq 4 is missing") },
    ]);
  });

  it("names the first of a pair whose content was swapped", async () => {
    const { pool } = await chainedDatabase();
    await asSuperuser({
      pool,
      table: "AuditEvent",
      sql: `UPDATE "AuditEvent" a SET detail = b.detail FROM "AuditEvent" b WHERE (a."chainSeq", b."chainSeq") IN ((2, 3), (3, 2))`,
    });
    const verdict = await verifyAuditChain({ pool });
    expect(verdict.problems).toEqual([{ table: "AuditEvent", id: await idAt({ pool, table: "AuditEvent", seq: 2 }), seq: "2", message: expect.stringContaining("does not match its content") }]);
  });

  it("names the first of a pair whose places in the chain were swapped", async () => {
    const { pool } = await chainedDatabase();
    const [second, third] = [await idAt({ pool, table: "ObjectionEvent", seq: 2 }), await idAt({ pool, table: "ObjectionEvent", seq: 3 })];
    await asSuperuser({
      pool,
      table: "ObjectionEvent",
      // Through a free seq: the unique index checks each row as it is written.
      sql: `UPDATE "ObjectionEvent" SET "chainSeq" = 1000 WHERE id = ${second}; UPDATE "ObjectionEvent" SET "chainSeq" = 2 WHERE id = ${third}; UPDATE "ObjectionEvent" SET "chainSeq" = 3 WHERE id = ${second}`,
    });
    const verdict = await verifyAuditChain({ pool });
    expect(verdict.problems).toEqual([{ table: "ObjectionEvent", id: third, seq: "2", message: expect.stringContaining("prevHash is not the hash of the row before it") }]);
  });

  it("counts rows waiting to be chained within the grace period, and passes", async () => {
    const { pool } = await chainedDatabase(2);
    await insertAuditEvent({ db: pool, createdAt: new Date(Date.now() - (UNCHAINED_GRACE_SECONDS - 60) * 1000) });
    await insertAuditEvent({ db: pool });
    const verdict = await verifyAuditChain({ pool });
    expect(verdict.problems).toEqual([]);
    expect(verdict.unchained).toEqual({ AuditEvent: { count: 2, oldest: { id: expect.any(String), seconds: expect.closeTo(UNCHAINED_GRACE_SECONDS - 60, -2) } }, ObjectionEvent: { count: 0, oldest: null } });
  });

  it("names the oldest row left unchained past the grace period: the chainer has not run", async () => {
    const { pool } = await chainedDatabase(2);
    const objectionId = await insertObjection(pool);
    await chainAuditLogs({ pool });
    // Two hours old and never chained, and a younger one behind it; the other chain is caught up.
    const stale = await insertAuditEvent({ db: pool, createdAt: new Date(Date.now() - 2 * 3600 * 1000) });
    await insertAuditEvent({ db: pool });
    await insertObjectionEvent({ db: pool, objectionId });
    const verdict = await verifyAuditChain({ pool });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      { table: "AuditEvent", id: stale, seq: null, unchained: true, message: expect.stringMatching(new RegExp(`^AuditEvent id ${stale} has waited 2\\.0 hours to be chained, .*: the chainer has not run`)) },
    ]);
    expect(verdict.checked).toEqual({ AuditEvent: 2, ObjectionEvent: 2 });
    expect(verdict.unchained.AuditEvent).toEqual({ count: 2, oldest: { id: stale, seconds: expect.closeTo(7200, -2) } });
    expect(verdict.unchained.ObjectionEvent.count).toBe(1);
  });

  it("names a queued row deleted before it was chained", async () => {
    const { pool } = await chainedDatabase(2);
    const gone = await insertAuditEvent({ db: pool });
    await asSuperuser({ pool, table: "AuditEvent", sql: `DELETE FROM "AuditEvent" WHERE id = $1`, values: [gone] });
    const verdict = await verifyAuditChain({ pool });
    expect(verdict.problems).toEqual([{ table: "AuditEvent", id: gone, seq: null, unchained: true, message: expect.stringContaining(`AuditEvent id ${gone} was queued to be chained but is gone`) }]);
  });

  it("npm run audit:verify exits 0 on an intact log and 1 naming the changed row and a row left unchained", async () => {
    const { pool, url } = await chainedDatabase(3);
    // Written a moment ago, not yet chained: counted, not a failure.
    await insertAuditEvent({ db: pool });
    const cli = () =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], { env: { ...process.env, ...TEST_ENV, DATABASE_URL: url, NODE_OPTIONS: "" } })
        .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
        .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));
    const intact = await cli();
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toContain("The audit log verified.");
    expect(intact.stdout).toMatch(/^ok {4}AuditEvent: 1 row waiting to be chained, the oldest \d+ s old/m);
    expect(intact.stdout).toMatch(/^ok {4}ObjectionEvent: no row waiting to be chained$/m);

    const id = await idAt({ pool, table: "ObjectionEvent", seq: 2 });
    await asSuperuser({ pool, table: "ObjectionEvent", sql: `UPDATE "ObjectionEvent" SET "actorId" = 'someone-else' WHERE id = $1`, values: [id] });
    const stale = await insertAuditEvent({ db: pool, createdAt: new Date(Date.now() - 20 * 60 * 1000) });
    const changed = await cli();
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(`FAIL  ObjectionEvent id ${id} (chainSeq 2): its hash does not match its content`);
    expect(changed.stderr).toMatch(new RegExp(`^FAIL  AuditEvent id ${stale} has waited 20 minutes to be chained, .*: the chainer has not run`, "m"));
    // The chain itself is intact: its line still says so.
    expect(changed.stdout).toMatch(/^ok {4}AuditEvent: 3 chained rows checked$/m);
  });
});
