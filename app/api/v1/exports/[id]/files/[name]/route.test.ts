import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { GET as fileRoute } from "@/app/api/v1/exports/[id]/files/[name]/route";
import { deleteExpiredRunFiles } from "@/lib/exports/export-housekeeping";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { acknowledgeRun } from "@/lib/exports/export-runs";
import { runExport } from "@/lib/exports/run-export";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { closePgPool } from "@/lib/pg";
import { exportSettingsFor, insertMembers, NIGHTLY_EXPORT_ACTOR, objectFor, TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { startS3Server, TEST_BUCKET } from "@/test/s3-server";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

const PIPELINE_TOKEN = "pipeline-token-for-tests-0123456789abcdef";
const LOCATION = `s3://${TEST_BUCKET}/nightly`;

let database: { name: string; url: string };
let pool: pg.Pool;
let s3: Awaited<ReturnType<typeof startS3Server>>;

const keysOf = async (runId: string) => {
  const client = new S3Client({ region: "us-east-1", forcePathStyle: true, endpoint: s3.env.AWS_ENDPOINT_URL_S3, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: `nightly/${runId}/` }));
  client.destroy();
  return (listed.Contents ?? []).map((object) => object.Key?.split("/").pop()).sort();
};

beforeAll(async () => {
  s3 = await startS3Server();
  database = await createTestDatabase("objection_export_s3");
  Object.assign(process.env, s3.env, { DATABASE_URL: database.url, EXPORT_API_TOKEN: PIPELINE_TOKEN });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
  await s3.stop();
});

describe("exports to an S3-compatible bucket", () => {
  it("writes a run the verifier accepts from the bucket, with the manifest among its objects", async () => {
    for (const member of await insertMembers({ pool, count: 3, prefix: "s3" })) await objectFor({ db: pool, member });
    const manifest = await runExport(exportSettingsFor({ storage: exportStorageAt(LOCATION) }));
    expect(await keysOf(manifest.runId)).toEqual(["delta.csv", "manifest.json", "snapshot.csv"]);
    expect(await verifyExportRun({ storage: exportStorageAt(LOCATION), runId: manifest.runId, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true, problems: [] });
    // The pipeline engineers' tool, given the run's S3 URL.
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/export-verify.ts", `${LOCATION}/${manifest.runId}`], {
      env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", EXPORT_SIGNING_KEY: TEST_ENV.EXPORT_SIGNING_KEY },
    });
    expect(stdout).toContain(`Run ${manifest.runId} verified.`);

    const response = await fileRoute(new Request("http://localhost/", { headers: { authorization: `Bearer ${PIPELINE_TOKEN}` } }), {
      params: Promise.resolve({ id: manifest.runId, name: "snapshot.csv" }),
    });
    expect(response.status).toBe(200);
    expect((await response.text()).split("\r\n").filter(Boolean)).toHaveLength(4);
  });

  it("deletes older runs' files once a newer run is acknowledged, keeping EXPORT_KEEP_RUNS runs and every ExportRun row", async () => {
    const settings = exportSettingsFor({ storage: exportStorageAt(LOCATION) });
    const runs = [await runExport(settings), await runExport(settings), await runExport(settings)];
    expect(await deleteExpiredRunFiles({ actor: NIGHTLY_EXPORT_ACTOR, keep: 1 })).toEqual([]);

    await acknowledgeRun({ actor: PLATFORM_ACTOR, runId: runs[2]!.runId });
    const deleted = await deleteExpiredRunFiles({ actor: NIGHTLY_EXPORT_ACTOR, keep: 1 });
    expect(deleted).toEqual(expect.arrayContaining([runs[0]!.runId, runs[1]!.runId]));
    expect(deleted).not.toContain(runs[2]!.runId);
    expect(await keysOf(runs[0]!.runId)).toEqual([]);
    expect(await keysOf(runs[2]!.runId)).toEqual(["delta.csv", "manifest.json", "snapshot.csv"]);
    expect(Number((await pool.query(`SELECT count(*) FROM "ExportRun"`)).rows[0].count)).toBe(4);

    const gone = await fileRoute(new Request("http://localhost/", { headers: { authorization: `Bearer ${PIPELINE_TOKEN}` } }), {
      params: Promise.resolve({ id: runs[0]!.runId, name: "snapshot.csv" }),
    });
    expect(gone.status).toBe(410);
  });
});
