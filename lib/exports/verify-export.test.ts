import { execFile } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signManifest, type TExportManifest } from "@/lib/exports/export-manifest";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { closePgPool } from "@/lib/pg";
import { exportSettingsFor, insertMembers, objectFor, TEST_PUBLIC_KEY, TEST_SIGNING_KEY, withdraw } from "@/test/export-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

let database: { name: string; url: string };
let pool: pg.Pool;
let folder: string;
let first: TExportManifest;
let second: TExportManifest;
const scratch: string[] = [];

/** A copy of both runs to tamper with, so each case starts from runs that verify. */
const copyOfRuns = () => {
  const copy = mkdtempSync(path.join(tmpdir(), "objection-verify-case-"));
  scratch.push(copy);
  cpSync(folder, copy, { recursive: true });
  return copy;
};

const fileIn = (root: string, runId: string, name: string) => path.join(root, runId, name);
const verify = (root: string, runId = second.runId, chain = true) => verifyExportRun({ storage: exportStorageAt(root), runId, publicKey: TEST_PUBLIC_KEY, chain });

/** Rewrites a run's manifest to match its (tampered) files and signs it with the given key. */
const resign = ({ root, manifest, privateKey = TEST_SIGNING_KEY }: { root: string; manifest: TExportManifest; privateKey?: typeof TEST_SIGNING_KEY }) => {
  const files = manifest.files.map((file) => {
    const bytes = readFileSync(fileIn(root, manifest.runId, file.name));
    const rows = bytes.toString("utf8").split("\r\n").filter(Boolean).length - 1;
    return { ...file, rows, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
  });
  writeFileSync(fileIn(root, manifest.runId, "manifest.json"), JSON.stringify(signManifest({ manifest: { ...manifest, files }, privateKey })));
};

beforeAll(async () => {
  database = await createTestDatabase("objection_verify");
  Object.assign(process.env, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  folder = mkdtempSync(path.join(tmpdir(), "objection-verify-"));
  const members = await insertMembers({ pool, count: 6, prefix: "verify" });
  const objections = [];
  for (const member of members.slice(0, 4)) objections.push(await objectFor({ db: pool, member }));
  const settings = exportSettingsFor({ storage: exportStorageAt(folder) });
  first = await runExport(settings);
  await withdraw({ db: pool, objectionId: objections[0]! });
  for (const member of members.slice(4)) await objectFor({ db: pool, member });
  second = await runExport(settings);
});

afterAll(async () => {
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
  for (const root of [folder, ...scratch]) rmSync(root, { recursive: true, force: true });
});

describe("verifyExportRun", () => {
  it("passes an untouched run, its chain included", async () => {
    const result = await verify(folder);
    expect(result.problems).toEqual([]);
    expect(result.checks).toContain(`chain: run ${first.runId}'s snapshot plus this delta equals this snapshot`);
  });

  it("fails on a flipped byte", async () => {
    const root = copyOfRuns();
    const file = fileIn(root, second.runId, "snapshot.csv");
    const bytes = readFileSync(file);
    const at = bytes.indexOf("\r\n") + 10;
    bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61;
    writeFileSync(file, bytes);
    const result = await verify(root);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/snapshot\.csv has sha256 \w+, the manifest says/);
  });

  it("fails on a removed row", async () => {
    const root = copyOfRuns();
    const file = fileIn(root, second.runId, "snapshot.csv");
    const lines = readFileSync(file, "utf8").split("\r\n");
    lines.splice(2, 1);
    writeFileSync(file, lines.join("\r\n"));
    const problems = (await verify(root)).problems.join("\n");
    expect(problems).toMatch(/snapshot\.csv has 4 rows, the manifest says 5/);
  });

  it("fails on a file swapped for another run's", async () => {
    const root = copyOfRuns();
    cpSync(fileIn(root, first.runId, "snapshot.csv"), fileIn(root, second.runId, "snapshot.csv"));
    const result = await verify(root);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/snapshot\.csv has sha256 .* altered or swapped/);
  });

  it("fails on a manifest signed with another key, naming both keys", async () => {
    const root = copyOfRuns();
    resign({ root, manifest: second, privateKey: generateKeyPairSync("ed25519").privateKey });
    const result = await verify(root);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/signed with key [0-9a-f]{16}, not the trusted key [0-9a-f]{16}/);
  });

  it("fails on a broken chain even when every file matches a validly signed manifest", async () => {
    const root = copyOfRuns();
    // Drop the delta's `remove`: the files and the signature are consistent, the chain is not.
    const delta = fileIn(root, second.runId, "delta.csv");
    writeFileSync(delta, readFileSync(delta, "utf8").split("\r\n").filter((line) => !line.includes(",remove,")).join("\r\n"));
    resign({ root, manifest: second });
    const result = await verify(root);
    expect(result.ok).toBe(false);
    expect(result.problems.every((problem) => problem.startsWith("chain:"))).toBe(true);
    expect(result.problems.join("\n")).toMatch(/chain: snapshot\.csv row \d+ .* is not the previous snapshot's row/);
  });

  it("fails when the previous run is gone, and says how to check this run alone; --no-chain then passes it", async () => {
    const root = copyOfRuns();
    rmSync(path.join(root, first.runId), { recursive: true });
    const result = await verify(root);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/^chain: the previous run's manifest is not available .*--no-chain$/)]);

    const alone = await verify(root, second.runId, false);
    expect(alone).toMatchObject({ ok: true, problems: [] });
    expect(alone.checks).toContain("chain not checked (--no-chain): this run's files only, not that it follows the previous run");
  });

  it("fails when the previous run's snapshot is gone", async () => {
    const root = copyOfRuns();
    rmSync(fileIn(root, first.runId, "snapshot.csv"));
    const result = await verify(root);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/^chain: the previous run's snapshot is not available; .*--no-chain$/)]);
  });

  it("fails when the previous run's manifest is signed with another key", async () => {
    const root = copyOfRuns();
    resign({ root, manifest: first, privateKey: generateKeyPairSync("ed25519").privateKey });
    const result = await verify(root);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/^chain: the previous run's manifest: .*signed with key [0-9a-f]{16}, not the trusted key/);
  });

  it("runs as `npm run export:verify`: exit 0 on a good run, exit 1 naming the problem on a bad one", async () => {
    const cli = (target: string) =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/export-verify.ts", target], {
        env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", EXPORT_SIGNING_KEY: TEST_ENV.EXPORT_SIGNING_KEY },
      }).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: `${error.stdout}${error.stderr}` }),
      );
    const good = await cli(path.join(folder, second.runId));
    expect(good).toMatchObject({ code: 0, output: expect.stringContaining(`Run ${second.runId} verified.`) });

    const root = copyOfRuns();
    writeFileSync(fileIn(root, second.runId, "delta.csv"), "tampered");
    const bad = await cli(path.join(root, second.runId));
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/FAIL {2}delta\.csv has sha256/);
  });
});
