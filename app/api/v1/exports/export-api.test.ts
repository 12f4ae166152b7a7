import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET as healthRoute } from "@/app/api/health/route";
import { POST as ackRoute } from "@/app/api/v1/exports/[id]/ack/route";
import { GET as fileRoute } from "@/app/api/v1/exports/[id]/files/[name]/route";
import { GET as latestRoute } from "@/app/api/v1/exports/latest/route";
import { GET as publicKeyRoute } from "@/app/api/v1/exports/public-key/route";
import { manifestSignatureProblem, type TExportManifest } from "@/lib/exports/export-manifest";
import { failStaleRuns } from "@/lib/exports/export-housekeeping";
import { RUN_LOCK_KEY } from "@/lib/exports/export-run-sql";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { parsePublicKey, signingKeyId } from "@/lib/exports/signing-key";
import { closePgPool } from "@/lib/pg";
import { exportSettingsFor, insertMembers, NIGHTLY_EXPORT_ACTOR, objectFor, TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

const PIPELINE_TOKEN = "pipeline-token-for-tests-0123456789abcdef";

let database: { name: string; url: string };
let pool: pg.Pool;
let folder: string;

const request = ({ token = PIPELINE_TOKEN, headers = {} }: { token?: string | null; headers?: Record<string, string> } = {}) =>
  new Request("http://localhost/api/v1/exports", { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
const context = <T>(params: T) => ({ params: Promise.resolve(params) });
const health = async () => (await (await healthRoute()).json()) as { status: string; export: { degraded: boolean; lastRunFailed: boolean; lastError?: string } };

beforeAll(async () => {
  database = await createTestDatabase("objection_export_api");
  Object.assign(process.env, { DATABASE_URL: database.url, EXPORT_API_TOKEN: PIPELINE_TOKEN });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  folder = mkdtempSync(path.join(tmpdir(), "objection-export-api-"));
});

afterAll(async () => {
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
  rmSync(folder, { recursive: true, force: true });
});

describe("the pipeline API", () => {
  it("serves the signed manifest, files with their sha256 as ETag, the public key, and acknowledgements", async () => {
    expect((await latestRoute(request(), context({}))).status).toBe(404);
    for (const member of await insertMembers({ pool, count: 2, prefix: "api" })) await objectFor({ db: pool, member });
    const run = await runExport(exportSettingsFor({ storage: exportStorageAt(folder) }));

    expect((await latestRoute(request({ token: null }), context({}))).status).toBe(401);
    expect((await latestRoute(request({ token: "wrong" }), context({}))).status).toBe(401);
    const latest = (await (await latestRoute(request(), context({}))).json()) as TExportManifest & { acknowledgedAt: string | null };
    const { acknowledgedAt, ...manifest } = latest;
    expect(manifest).toEqual(run);
    expect(acknowledgedAt).toBeNull();

    const key = (await (await publicKeyRoute(request(), context({}))).json()) as { keyId: string; publicKeyPem: string };
    const served = parsePublicKey(key.publicKeyPem)!;
    expect(key.keyId).toBe(signingKeyId(TEST_PUBLIC_KEY));
    expect(manifestSignatureProblem({ manifest, publicKey: served })).toBeNull();

    const snapshot = run.files.find((file) => file.kind === "snapshot")!;
    const download = await fileRoute(request(), context({ id: run.runId, name: snapshot.name }));
    expect(download.status).toBe(200);
    expect(download.headers.get("etag")).toBe(`"${snapshot.sha256}"`);
    expect(createHash("sha256").update(Buffer.from(await download.arrayBuffer())).digest("hex")).toBe(snapshot.sha256);
    expect((await fileRoute(request({ headers: { "if-none-match": `"${snapshot.sha256}"` } }), context({ id: run.runId, name: snapshot.name }))).status).toBe(304);
    expect((await fileRoute(request(), context({ id: randomUUID(), name: snapshot.name }))).status).toBe(404);
    expect((await fileRoute(request(), context({ id: run.runId, name: "secrets.csv" }))).status).toBe(404);
    expect((await fileRoute(request(), context({ id: run.runId, name: "../manifest.json" }))).status).toBe(404);

    expect((await ackRoute(request(), context({ id: randomUUID() }))).status).toBe(404);
    const ack = (await (await ackRoute(request(), context({ id: run.runId }))).json()) as { acknowledgedAt: string };
    const again = (await (await ackRoute(request(), context({ id: run.runId }))).json()) as { acknowledgedAt: string };
    expect(again.acknowledgedAt).toBe(ack.acknowledgedAt);
    expect(((await (await latestRoute(request(), context({}))).json()) as { acknowledgedAt: string }).acknowledgedAt).toBe(ack.acknowledgedAt);
  });
});

describe("runs whose process died, and health", () => {
  it("fails every running run when no process holds the run lock, and only timed-out ones while one does", async () => {
    const insertRunning = async (startedMinutesAgo: number) =>
      (
        await pool.query<{ id: string }>(
          `INSERT INTO "ExportRun" (cutoff, format, location, "startedAt") VALUES (now(), 'csv', $1, now() - make_interval(mins => $2)) RETURNING id`,
          [folder, startedMinutesAgo],
        )
      ).rows[0]!.id;
    const statusOf = async (id: string) => (await pool.query<{ status: string }>(`SELECT status FROM "ExportRun" WHERE id = $1`, [id])).rows[0]?.status;

    const live = await pool.connect();
    try {
      await live.query(`SELECT pg_advisory_lock($1)`, [RUN_LOCK_KEY]);
      const young = await insertRunning(1);
      const old = await insertRunning(600);
      expect(await failStaleRuns({ actor: NIGHTLY_EXPORT_ACTOR, timeoutMinutes: 120 })).toBe(1);
      expect([await statusOf(young), await statusOf(old)]).toEqual(["running", "failed"]);

      await live.query(`SELECT pg_advisory_unlock($1)`, [RUN_LOCK_KEY]);
      expect(await failStaleRuns({ actor: NIGHTLY_EXPORT_ACTOR, timeoutMinutes: 120 })).toBe(1);
      expect(await statusOf(young)).toBe("failed");
    } finally {
      live.release();
    }
  });

  it("turns health degraded when the last run failed or the last success is over 26 hours old, and ok after a fresh success", async () => {
    await pool.query(`INSERT INTO "ExportRun" (cutoff, format, location, status, error, "finishedAt") VALUES (now(), 'csv', $1, 'failed', 'the bucket refused the upload', now())`, [folder]);
    expect(await health()).toMatchObject({ status: "degraded", export: { degraded: true, lastRunFailed: true, lastError: "the bucket refused the upload" } });

    await runExport(exportSettingsFor({ storage: exportStorageAt(folder) }));
    expect(await health()).toMatchObject({ status: "ok", export: { degraded: false, lastRunFailed: false } });

    await pool.query(`UPDATE "ExportRun" SET "finishedAt" = "finishedAt" - interval '27 hours'`);
    expect(await health()).toMatchObject({ status: "degraded", export: { degraded: true, lastRunFailed: false } });
  });
});
