import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { chainHash } from "@/lib/audit/audit-chain-hash";
import { chainAuditLogs } from "@/lib/audit/chain-audit-log";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { verifyManifestAnchor } from "@/lib/audit/verify-chain-anchors";
import { manifestSignatureProblem, type TExportManifest } from "@/lib/exports/export-manifest";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { closePgPool } from "@/lib/pg";
import { asSuperuser, insertAuditEvent, insertObjection, insertObjectionEvent } from "@/test/audit-chain-fixtures";
import { exportSettingsFor, TEST_PUBLIC_KEY } from "@/test/export-fixtures";

// The file's own database (test/file-database.ts): an export holds every objection in it.
let pool: pg.Pool;
let folder: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  folder = mkdtempSync(path.join(tmpdir(), "objection-chain-export-"));
});

afterAll(async () => {
  await closePgPool();
  await pool.end();
  rmSync(folder, { recursive: true, force: true });
});

type THeadRow = { seq: string; hash: Buffer };
const headOf = async (table: string) => (await pool.query<THeadRow>(`SELECT seq::text AS seq, hash FROM "AuditChainHead" WHERE chain = $1`, [table])).rows[0]!;

/** What a superuser who knows the scheme can do: change row `seq` and re-hash the chain from it to its end, head included. */
const rewriteAndRehash = async ({ table, seq }: { table: "AuditEvent" | "ObjectionEvent"; seq: number }) => {
  await asSuperuser({ pool, table, sql: `UPDATE "${table}" SET detail = '{"rewritten": true}' WHERE "chainSeq" = $1`, values: [seq] });
  const { rows } = await pool.query<Record<string, unknown> & { id: string; prevHash: Buffer }>(`SELECT * FROM "${table}" WHERE "chainSeq" >= $1 ORDER BY "chainSeq"`, [seq]);
  let prev = rows[0]!.prevHash;
  for (const row of rows) {
    const hash = chainHash(prev, row);
    await asSuperuser({ pool, table, sql: `UPDATE "${table}" SET "prevHash" = $2, hash = $3 WHERE id = $1`, values: [row.id, prev, hash] });
    prev = hash;
  }
  await pool.query(`UPDATE "AuditChainHead" SET hash = $2 WHERE chain = $1`, [table, prev]);
};

describe("chain heads in export manifests", () => {
  let manifest: TExportManifest;

  it("are recorded in the run's manifest, under its signature", async () => {
    const objectionId = await insertObjection(pool);
    for (let index = 0; index < 4; index++) {
      await insertAuditEvent({ db: pool, detail: { index } });
      await insertObjectionEvent({ db: pool, objectionId, detail: { index } });
    }
    await chainAuditLogs({ pool });
    // Written after the chainer ran: not yet chained, so not in the heads.
    await insertAuditEvent({ db: pool, detail: { late: true } });
    manifest = await runExport(exportSettingsFor({ storage: exportStorageAt(folder) }));

    const [audit, events] = [await headOf("AuditEvent"), await headOf("ObjectionEvent")];
    expect(audit.seq).toBe("4");
    expect(manifest.auditChainHeads).toEqual({ AuditEvent: { seq: 4, hash: audit.hash.toString("hex") }, ObjectionEvent: { seq: Number(events.seq), hash: events.hash.toString("hex") } });
    expect(JSON.parse(readFileSync(path.join(folder, manifest.runId, "manifest.json"), "utf8"))).toEqual(manifest);
    expect(manifestSignatureProblem({ manifest, publicKey: TEST_PUBLIC_KEY })).toBeNull();
    const edited = { ...manifest, auditChainHeads: { ...manifest.auditChainHeads!, AuditEvent: { seq: 3, hash: manifest.auditChainHeads!.AuditEvent.hash } } };
    expect(manifestSignatureProblem({ manifest: edited, publicKey: TEST_PUBLIC_KEY })).toMatch(/does not match its content/);
    const verdict = await verifyAuditChain({ pool, publicKey: TEST_PUBLIC_KEY });
    expect(verdict.problems).toEqual([]);
    expect(verdict.anchors).toBe(1);
  });

  it("are checked by npm run audit:verify -- --manifest FILE: ok when they match, FAIL when a head hash was altered", async () => {
    const matching = path.join(folder, manifest.runId, "manifest.json");
    const altered = path.join(folder, "altered-manifest.json");
    const hash = manifest.auditChainHeads!.ObjectionEvent.hash;
    writeFileSync(altered, JSON.stringify({ ...manifest, auditChainHeads: { ...manifest.auditChainHeads!, ObjectionEvent: { seq: manifest.auditChainHeads!.ObjectionEvent.seq, hash: `${hash[0] === "0" ? "1" : "0"}${hash.slice(1)}` } } }));
    // With the export's public key given, as the pipeline's verifier has it: the signatures are checked too.
    const cli = (file: string) =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", "--manifest", file], {
        env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", NODE_OPTIONS: "", DIRECT_DATABASE_URL: "", EXPORT_PUBLIC_KEY: TEST_PUBLIC_KEY.export({ type: "spki", format: "pem" }).toString(), EXPORT_SIGNING_KEY: "" },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    const [good, bad] = await Promise.all([cli(matching), cli(altered)]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain(`ok    ${matching}: its chain heads are in the chains`);
    expect(good.stdout).toContain("signatures included");
    expect(bad.code).toBe(1);
    expect(bad.stdout).not.toContain(`ok    ${altered}`);
    expect(bad.stderr).toContain(`FAIL  export run ${manifest.runId}: `);
    expect(bad.stderr).toMatch(new RegExp(`^FAIL  ObjectionEvent id \\d+ \\(chainSeq ${manifest.auditChainHeads!.ObjectionEvent.seq}\\): its hash is not the one export run ${manifest.runId} recorded`, "m"));
  });

  it("catch a chain rewritten and re-hashed after the export, which its own hashes no longer show", async () => {
    await chainAuditLogs({ pool });
    await rewriteAndRehash({ table: "AuditEvent", seq: 2 });
    const id = (await pool.query<{ id: string }>(`SELECT id::text AS id FROM "AuditEvent" WHERE "chainSeq" = 4`)).rows[0]!.id;
    const problem = { table: "AuditEvent", id, seq: "4", message: expect.stringContaining(`its hash is not the one export run ${manifest.runId} recorded`) };

    const verdict = await verifyAuditChain({ pool, publicKey: TEST_PUBLIC_KEY });
    expect(verdict.checked).toEqual({ AuditEvent: 5, ObjectionEvent: 4 });
    expect(verdict.problems).toEqual([problem]);
    // The pipeline's copy of the manifest anchors the log as well.
    expect(await verifyManifestAnchor({ pool, manifest, publicKey: TEST_PUBLIC_KEY })).toEqual([problem]);
  });
});
