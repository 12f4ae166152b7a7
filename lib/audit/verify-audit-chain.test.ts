import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { afterEach, describe, expect, it } from "vitest";

import { chainAuditLogs } from "@/lib/audit/chain-audit-log";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
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

  it("npm run audit:verify exits 0 on an intact log and 1 naming the changed row", async () => {
    const { pool, url } = await chainedDatabase(3);
    const cli = () =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], { env: { ...process.env, ...TEST_ENV, DATABASE_URL: url, NODE_OPTIONS: "" } })
        .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
        .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));
    const intact = await cli();
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toContain("The audit log verified.");

    const id = await idAt({ pool, table: "ObjectionEvent", seq: 2 });
    await asSuperuser({ pool, table: "ObjectionEvent", sql: `UPDATE "ObjectionEvent" SET "actorId" = 'someone-else' WHERE id = $1`, values: [id] });
    const changed = await cli();
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(`FAIL  ObjectionEvent id ${id} (chainSeq 2): its hash does not match its content`);
  });
});
