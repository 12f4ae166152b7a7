import { createHash, createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { parquetReadObjects } from "hyparquet";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { ZExportManifest } from "@/lib/exports/export-manifest";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { firstExportRun } from "@/lib/exports/first-export-run";
import { runExport } from "@/lib/exports/run-export";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { closePgPool } from "@/lib/pg";
import {
  applyDelta,
  excludedPeople,
  exportSettingsFor,
  insertMembers,
  objectFor,
  readCsvRows,
  TEST_PUBLIC_KEY,
  withdraw,
} from "@/test/export-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

const hmac = (email: string) => createHmac("sha256", TEST_ENV.EXPORT_HASH_KEY).update(email).digest("hex");

let database: { name: string; url: string };
let pool: pg.Pool;
let folder: string;

const storage = () => exportStorageAt(folder);
const run = (options: { cutoff?: Date; format?: "csv" | "jsonl" | "parquet" } = {}) =>
  runExport({ ...exportSettingsFor({ storage: storage(), format: options.format }), cutoff: options.cutoff });
const rowsOf = (runId: string, kind: "snapshot" | "delta") => readCsvRows({ folder, runId, name: `${kind}.csv` });

beforeAll(async () => {
  // Exports hold every objection in the database: this file has a database of its own.
  database = await createTestDatabase("objection_export");
  Object.assign(process.env, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  folder = mkdtempSync(path.join(tmpdir(), "objection-export-"));
});

afterAll(async () => {
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
  rmSync(folder, { recursive: true, force: true });
});

describe("export runs", () => {
  it("hold objectors and no one else, with objection ids and growing seqs, in signed runs that verify", async () => {
    const [objector, bystander] = await insertMembers({ pool, count: 2, prefix: "first" });
    const objectionId = await objectFor({ db: pool, member: objector! });
    // Stored as the form stores it: normalised. The HMAC is over that exact text.
    const unmatchedEmail = normaliseEmail(" Jane.Doe@Example.EU ");
    await pool.query(`INSERT INTO "Objection" (email, country, source) VALUES ($1, 'IE', 'direct')`, [unmatchedEmail]);

    const first = await run();
    expect(ZExportManifest.parse(first)).toEqual(first);
    const snapshot = rowsOf(first.runId, "snapshot");
    expect(Object.keys(snapshot[0]!)).toEqual(["seq", "objection_id", "member_external_id", "email_hmac", "country", "source", "effective_at"]);
    expect(snapshot.map((row) => row.member_external_id).sort()).toEqual(["", objector!.externalId].sort());
    expect(snapshot.some((row) => row.member_external_id === bystander!.externalId)).toBe(false);
    expect(snapshot.find((row) => row.member_external_id === "")).toMatchObject({ email_hmac: hmac("jane.doe@example.eu"), country: "IE", source: "direct" });
    expect(snapshot.find((row) => row.objection_id === objectionId)?.email_hmac).toBe(hmac(objector!.email));
    expect(readFileSync(path.join(folder, first.runId, "snapshot.csv"), "utf8")).not.toContain("@");
    // A new chain: its delta adds exactly its snapshot.
    expect(rowsOf(first.runId, "delta").map(({ op, ...row }) => ({ op, row }))).toEqual(snapshot.map((row) => ({ op: "add", row })));
    expect(snapshot.map((row) => Number(row.seq))).toEqual([1, 2]);
    expect(first.lastSeq).toBe(2);

    for (const file of first.files) {
      const bytes = readFileSync(path.join(folder, first.runId, file.name));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(file.sha256);
      expect(bytes.length).toBe(file.bytes);
    }
    expect(JSON.parse(readFileSync(path.join(folder, first.runId, "manifest.json"), "utf8"))).toEqual(first);
    expect(await verifyExportRun({ storage: storage(), runId: first.runId, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true, problems: [] });
    expect((await firstExportRun({ id: objectionId }))?.id).toBe(first.runId);

    await withdraw({ db: pool, objectionId });
    const second = await run();
    expect(second.previousRunId).toBe(first.runId);
    expect(second.previousLastSeq).toBe(2);
    expect(rowsOf(second.runId, "delta")).toEqual([{ ...snapshot.find((row) => row.objection_id === objectionId), seq: "3", op: "remove" }].map(({ seq, op, ...row }) => ({ seq, op, ...row })));
    expect(rowsOf(second.runId, "snapshot").map((row) => row.member_external_id)).toEqual([""]);
    expect(applyDelta({ snapshot, delta: rowsOf(second.runId, "delta") })).toEqual(rowsOf(second.runId, "snapshot"));
    expect(await verifyExportRun({ storage: storage(), runId: second.runId, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true });
    expect(await firstExportRun({ id: objectionId })).toBeNull();

    // Nothing changed: an empty delta, the same snapshot byte for byte.
    const third = await run();
    expect(third.files.find((file) => file.kind === "delta")?.rows).toBe(0);
    expect(readFileSync(path.join(folder, third.runId, "snapshot.csv"))).toEqual(readFileSync(path.join(folder, second.runId, "snapshot.csv")));
  });

  it("writes the same rows as JSON Lines and Parquet, and each verifies", async () => {
    const [member] = await insertMembers({ pool, count: 1, prefix: "formats" });
    await objectFor({ db: pool, member: member! });
    const csv = await run();
    const expected = rowsOf(csv.runId, "snapshot");

    const jsonl = await run({ format: "jsonl" });
    const lines = readFileSync(path.join(folder, jsonl.runId, "snapshot.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => ({ ...line, seq: String(line.seq) }))).toEqual(expected);
    expect(typeof lines[0]?.seq).toBe("number");

    const parquet = await run({ format: "parquet" });
    const bytes = readFileSync(path.join(folder, parquet.runId, "snapshot.parquet"));
    const parquetRows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer });
    expect(parquetRows.map((row) => ({ ...row, seq: String(row.seq) }))).toEqual(expected);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(parquet.files[0]?.sha256);

    for (const manifest of [jsonl, parquet]) {
      expect(await verifyExportRun({ storage: storage(), runId: manifest.runId, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true, problems: [] });
    }
  });

  it("puts an objection whose transaction opened before a run's cutoff and committed after its snapshot in the next delta", async () => {
    const [member] = await insertMembers({ pool, count: 1, prefix: "late-commit" });
    const slow = await pool.connect();
    try {
      await slow.query("BEGIN");
      // Stamped now, committed only after the run below has taken its snapshot.
      const objectionId = await objectFor({ db: slow, member: member! });
      const during = await run({ cutoff: new Date(Date.now() + 1_000) });
      await slow.query("COMMIT");
      expect(rowsOf(during.runId, "snapshot").some((row) => row.objection_id === objectionId)).toBe(false);

      const next = await run();
      expect(rowsOf(next.runId, "delta")).toEqual([expect.objectContaining({ op: "add", objection_id: objectionId, member_external_id: member!.externalId })]);
      expect(applyDelta({ snapshot: rowsOf(during.runId, "snapshot"), delta: rowsOf(next.runId, "delta") })).toEqual(rowsOf(next.runId, "snapshot"));
      expect(await verifyExportRun({ storage: storage(), runId: next.runId, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true });
    } finally {
      slow.release();
    }
  });

  it("orders a withdrawal and a new objection between two runs as remove, then add, so the person stays excluded", async () => {
    const [member] = await insertMembers({ pool, count: 1, prefix: "re-object" });
    const old = await objectFor({ db: pool, member: member! });
    const before = await run();
    await withdraw({ db: pool, objectionId: old });
    const renewed = await objectFor({ db: pool, member: member! });
    const after = await run();

    const delta = rowsOf(after.runId, "delta");
    expect(delta.map((row) => [row.op, row.objection_id])).toEqual([
      ["remove", old],
      ["add", renewed],
    ]);
    expect(Number(delta[1]!.seq)).toBeGreaterThan(Number(delta[0]!.seq));
    // Applied row by row in seq order, by member: the last word about this member is "excluded".
    const byMember = new Map<string, string>();
    for (const row of delta) byMember.set(row.member_external_id!, row.op!);
    expect(byMember.get(member!.externalId)).toBe("add");
    expect(excludedPeople(applyDelta({ snapshot: rowsOf(before.runId, "snapshot"), delta })).has(member!.externalId)).toBe(true);
  });

  it("keeps the chain whole with the exporter's clock 5 s ahead of the database's, then 5 s behind", async () => {
    const members = await insertMembers({ pool, count: 40, prefix: "skew" });
    let previous = await run();
    for (const skewMs of [5_000, -5_000, 5_000, -5_000]) {
      const writes = members.slice(0, 10).map((member) => objectFor({ db: pool, member }));
      const [manifest] = await Promise.all([run({ cutoff: new Date(Date.now() + skewMs) }), ...writes]);
      members.splice(0, 10);
      expect(manifest.previousRunId).toBe(previous.runId);
      expect(applyDelta({ snapshot: rowsOf(previous.runId, "snapshot"), delta: rowsOf(manifest.runId, "delta") })).toEqual(rowsOf(manifest.runId, "snapshot"));
      expect(await verifyExportRun({ storage: storage(), runId: manifest.runId, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true });
      previous = manifest;
    }
    // Whatever waited for a later cutoff arrives with the next run.
    const last = await run();
    const effective = await pool.query<{ id: string }>(`SELECT id FROM "Objection" WHERE status = 'effective'`);
    expect(rowsOf(last.runId, "snapshot").map((row) => row.objection_id).sort()).toEqual(effective.rows.map((row) => row.id).sort());
  });

  it("starts the chain again under a new hash key: every row removed and added with the new HMAC", async () => {
    const before = await run();
    const settings = { ...exportSettingsFor({ storage: storage() }), hashKey: "another-hash-key-for-tests-0123456789abcd", hashKeyId: "rotated" };
    const rotated = await runExport(settings);
    const delta = rowsOf(rotated.runId, "delta");
    const held = rowsOf(before.runId, "snapshot").length;
    expect(delta.filter((row) => row.op === "remove")).toHaveLength(held);
    expect(delta.filter((row) => row.op === "add")).toHaveLength(held);
    expect(rotated.hashKeyId).toBe("rotated");
    expect(await verifyExportRun({ storage: storage(), runId: rotated.runId, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true });
    // A new key under the old id would mix two keys in one chain: refused, and nothing changes.
    const sneaky = { ...exportSettingsFor({ storage: storage() }), hashKey: "a-third-hash-key-for-tests-0123456789abcd", hashKeyId: "rotated" };
    await expect(runExport(sneaky)).rejects.toThrow(/EXPORT_HASH_KEY changed but EXPORT_HASH_KEY_ID is still "rotated"/);
    // Back to the test key for the tests after this one.
    await run();
  });
  it("runs only as a job: the platform or an admin is refused, and no run is started", async () => {
    const runs = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "ExportRun"`)).rows[0]!.n;
    const before = await runs();
    for (const actor of [PLATFORM_ACTOR, { kind: "admin" as const, id: randomUUID(), role: "admin" as const }]) {
      await expect(runExport({ ...exportSettingsFor({ storage: storage() }), actor })).rejects.toMatchObject({ code: "forbidden" });
    }
    expect(await runs()).toBe(before);
  });
});
