import { createHash, createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { parse } from "csv-parse/sync";
import { parquetReadObjects } from "hyparquet";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { POST as ackRoute } from "@/app/api/v1/exports/[id]/ack/route";
import { GET as fileRoute } from "@/app/api/v1/exports/[id]/files/[name]/route";
import { GET as latestRoute } from "@/app/api/v1/exports/latest/route";
import { firstExportRun } from "@/lib/exports/first-export-run";
import { runExport } from "@/lib/exports/run-export";
import { closePgPool } from "@/lib/pg";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

const HASH_KEY = "export-hash-key-for-tests-0123456789abcdef";
const PIPELINE_TOKEN = "pipeline-token-for-tests-0123456789abcdef";
const hmac = (email: string) => createHmac("sha256", HASH_KEY).update(email).digest("hex");

let database: { name: string; url: string };
let pool: pg.Pool;
let outDir: string;

const readRows = (runDir: string, name: string) => parse(readFileSync(path.join(runDir, name)), { columns: true }) as Record<string, string>[];

beforeAll(async () => {
  // Exports hold every objection in the database: this file has a database of its own.
  database = await createTestDatabase("objection_export");
  Object.assign(process.env, { DATABASE_URL: database.url, EXPORT_API_TOKEN: PIPELINE_TOKEN });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  outDir = mkdtempSync(path.join(tmpdir(), "objection-export-"));
});

afterAll(async () => {
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
  rmSync(outDir, { recursive: true, force: true });
});

describe("exports", () => {
  it("hold objectors and not others, remove a withdrawal in the next delta, verify, and repeat byte for byte", async () => {
    const objector = `objector-${randomUUID()}`;
    const bystander = `bystander-${randomUUID()}`;
    const members = await pool.query<{ id: string; externalId: string }>(
      `INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'DE', '1980-01-01'), ($2, $2 || '@example.eu', 'FR', '1980-01-01') RETURNING id, "externalId"`,
      [objector, bystander],
    );
    const objectorId = members.rows.find((row) => row.externalId === objector)?.id;
    const objection = await pool.query<{ id: string }>(
      `INSERT INTO "Objection" ("memberId", email, country, source, "effectiveAt") VALUES ($1, $2, 'DE', 'email_link', now() - interval '1 hour') RETURNING id`,
      [objectorId, `${objector}@example.eu`],
    );
    await pool.query(`INSERT INTO "Objection" (email, country, source, "effectiveAt") VALUES ('Jane.Doe@example.eu', 'IE', 'direct', now() - interval '1 hour')`);

    const firstCutoff = new Date();
    const first = await runExport({ outDir, cutoff: firstCutoff, format: "csv", hashKey: HASH_KEY });
    const firstDir = path.join(outDir, first.runId);
    const snapshot = readRows(firstDir, "snapshot.csv");
    expect(snapshot.map((row) => row.member_external_id).sort()).toEqual(["", objector]);
    expect(snapshot.find((row) => row.member_external_id === "")).toMatchObject({ email_hmac: hmac("Jane.Doe@example.eu"), country: "IE", source: "direct" });
    expect(snapshot.find((row) => row.member_external_id === objector)?.email_hmac).toBe(hmac(`${objector}@example.eu`));
    expect(readFileSync(path.join(firstDir, "snapshot.csv"), "utf8")).not.toContain("@");
    expect(readRows(firstDir, "delta.csv").map((row) => row.op)).toEqual(["add", "add"]);

    for (const file of first.files) {
      const bytes = readFileSync(path.join(firstDir, file.name));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(file.sha256);
      expect(bytes.length).toBe(file.bytes);
    }
    expect(JSON.parse(readFileSync(path.join(firstDir, "manifest.json"), "utf8"))).toEqual(first);

    const effective = await pool.query<{ effectiveAt: Date }>(`SELECT "effectiveAt" FROM "Objection" WHERE id = $1`, [objection.rows[0]?.id]);
    expect((await firstExportRun({ effectiveAt: effective.rows[0]!.effectiveAt }))?.id).toBe(first.runId);
    expect(await firstExportRun({ effectiveAt: new Date(Date.now() + 60_000) })).toBeNull();

    await pool.query(`UPDATE "Objection" SET status = 'withdrawn', "withdrawnAt" = now() WHERE id = $1`, [objection.rows[0]?.id]);
    const second = await runExport({ outDir, cutoff: new Date(), format: "csv", hashKey: HASH_KEY });
    const secondDir = path.join(outDir, second.runId);
    expect(second.previousRunId).toBe(first.runId);
    expect(readRows(secondDir, "snapshot.csv").map((row) => row.member_external_id)).toEqual([""]);
    expect(readRows(secondDir, "delta.csv")).toEqual([expect.objectContaining({ op: "remove", member_external_id: objector })]);

    const again = await runExport({ outDir, cutoff: firstCutoff, format: "csv", hashKey: HASH_KEY });
    expect(again.files.find((file) => file.kind === "snapshot")?.sha256).toBe(first.files.find((file) => file.kind === "snapshot")?.sha256);
    expect(readFileSync(path.join(outDir, again.runId, "snapshot.csv"))).toEqual(readFileSync(path.join(firstDir, "snapshot.csv")));

    const jsonl = await runExport({ outDir, cutoff: firstCutoff, format: "jsonl", hashKey: HASH_KEY });
    const lines = readFileSync(path.join(outDir, jsonl.runId, "snapshot.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines).toEqual(snapshot);

    const parquet = await runExport({ outDir, cutoff: firstCutoff, format: "parquet", hashKey: HASH_KEY });
    const bytes = readFileSync(path.join(outDir, parquet.runId, "snapshot.parquet"));
    const parquetRows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer });
    expect(parquetRows).toEqual(snapshot);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(parquet.files[0]?.sha256);

    const runs = await pool.query(`SELECT status FROM "ExportRun"`);
    expect(runs.rows.every((row) => row.status === "succeeded")).toBe(true);
  });

  it("serves the pipeline: the latest manifest, files with their sha256 as ETag, and acknowledgements", async () => {
    const request = ({ token = PIPELINE_TOKEN, headers = {} }: { token?: string | null; headers?: Record<string, string> } = {}) =>
      new Request("http://localhost/api/v1/exports", { method: "GET", headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    const context = <T>(params: T) => ({ params: Promise.resolve(params) });

    expect((await latestRoute(request({ token: null }), context({}))).status).toBe(401);
    expect((await latestRoute(request({ token: "wrong" }), context({}))).status).toBe(401);

    const latest = await latestRoute(request(), context({}));
    expect(latest.status).toBe(200);
    const manifest = (await latest.json()) as { runId: string; cutoff: string; files: { name: string; sha256: string }[]; acknowledgedAt: string | null };
    const newest = await pool.query<{ id: string }>(`SELECT id FROM "ExportRun" WHERE status = 'succeeded' ORDER BY cutoff DESC LIMIT 1`);
    expect(manifest.runId).toBe(newest.rows[0]?.id);
    expect(manifest.acknowledgedAt).toBeNull();

    const snapshotFile = manifest.files.find((file) => file.name === "snapshot.csv");
    const download = await fileRoute(request(), context({ id: manifest.runId, name: "snapshot.csv" }));
    expect(download.status).toBe(200);
    expect(download.headers.get("etag")).toBe(`"${snapshotFile?.sha256}"`);
    expect(createHash("sha256").update(Buffer.from(await download.arrayBuffer())).digest("hex")).toBe(snapshotFile?.sha256);
    expect((await fileRoute(request({ headers: { "if-none-match": `"${snapshotFile?.sha256}"` } }), context({ id: manifest.runId, name: "snapshot.csv" }))).status).toBe(304);

    expect((await fileRoute(request(), context({ id: randomUUID(), name: "snapshot.csv" }))).status).toBe(404);
    expect((await fileRoute(request(), context({ id: manifest.runId, name: "secrets.csv" }))).status).toBe(404);
    expect((await fileRoute(request(), context({ id: manifest.runId, name: "../manifest.json" }))).status).toBe(404);
    expect((await ackRoute(request(), context({ id: randomUUID() }))).status).toBe(404);

    const ack = await ackRoute(request(), context({ id: manifest.runId }));
    expect(ack.status).toBe(200);
    const { acknowledgedAt } = (await ack.json()) as { acknowledgedAt: string };
    const again = (await (await ackRoute(request(), context({ id: manifest.runId }))).json()) as { acknowledgedAt: string };
    expect(again.acknowledgedAt).toBe(acknowledgedAt);
    expect(((await (await latestRoute(request(), context({}))).json()) as { acknowledgedAt: string }).acknowledgedAt).toBe(acknowledgedAt);
  });
});
