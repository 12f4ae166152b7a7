import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { EVIDENCE_MANIFEST } from "@/lib/evidence/evidence-manifest";
import { verifyEvidencePack } from "@/lib/evidence/verify-evidence-pack";
import { writeEvidencePack } from "@/lib/evidence/write-evidence-pack";
import { closePgPool } from "@/lib/pg";
import { readZipEntries, seedEvidenceCampaign, type TZipEntry, writeZip } from "@/test/evidence-fixtures";
import { TEST_PUBLIC_KEY, TEST_SIGNING_KEY } from "@/test/export-fixtures";
import { createAdmin } from "@/test/factories";

const run = promisify(execFile);
const folder = mkdtempSync(path.join(tmpdir(), "evidence-verify-"));
let pool: pg.Pool;
let pack: Buffer;
let entries: TZipEntry[];

const saved = (name: string, zip: Buffer) => {
  const file = path.join(folder, name);
  writeFileSync(file, zip);
  return file;
};

const verify = async (zip: Buffer, publicKey = TEST_PUBLIC_KEY) => verifyEvidencePack({ zipPath: saved(`pack-${Math.random().toString(36).slice(2)}.zip`, zip), publicKey });

/** The pack's entries with one replaced by `change`, or left out when it returns null. */
const changed = (name: string, change: (data: Buffer) => Buffer | null) =>
  entries.flatMap((entry) => {
    if (entry.name !== name) return [entry];
    const data = change(Buffer.from(entry.data));
    return data ? [{ name, data }] : [];
  });

const flipByte = (data: Buffer, at: number) => {
  data[at] = data[at]! ^ 0x01;
  return data;
};

let campaignId: string;

const written = async ({ zip64 = false }: { zip64?: boolean } = {}) => {
  const writing = await writeEvidencePack({ campaignId, privateKey: TEST_SIGNING_KEY, zip64 });
  const chunks: Buffer[] = [];
  for await (const chunk of writing.output) chunks.push(chunk as Buffer);
  await writing.finished;
  return Buffer.concat(chunks);
};

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const admin = await createAdmin({ db: pool, role: "admin" });
  campaignId = (await seedEvidenceCampaign({ pool, adminId: admin.id })).campaignId;
  pack = await written();
  entries = await readZipEntries(pack);
});

afterAll(async () => {
  await db().$disconnect();
  await closePgPool();
  await pool.end();
});

describe("verifyEvidencePack", () => {
  it("passes a pack as written, naming each file checked and the key", async () => {
    const result = await verify(pack);
    expect(result.problems).toEqual([]);
    expect(result.checks).toEqual([
      expect.stringMatching(/^signature: Ed25519, key [0-9a-f]{16}, campaign /),
      expect.stringMatching(/^notices\.csv: \d+ bytes, sha256 matches$/),
      expect.stringMatching(/^summary\.json: \d+ bytes, sha256 matches$/),
      expect.stringMatching(/^audit\.jsonl: \d+ bytes, sha256 matches$/),
    ]);
  });

  it("reads a pack in ZIP64 form (as yazl writes files and archives over 4 GB) and passes it", async () => {
    const zip64 = await written({ zip64: true });
    // The ZIP64 end of central directory record and its locator, by their signatures.
    expect(zip64.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    expect(zip64.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
    expect(pack.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false);
    const result = await verify(zip64);
    expect(result.problems).toEqual([]);
    expect(result.checks).toHaveLength(4);
  });

  it("fails when one byte of notices.csv changes, the manifest kept as it was", async () => {
    const result = await verify(await writeZip(changed("notices.csv", (data) => flipByte(data, data.length - 3))));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/^notices\.csv has sha256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}: the file was altered or swapped$/)]);
  });

  it("fails when one byte of notices.csv's entry changes inside the ZIP itself", async () => {
    // The first entry's data starts after its local header: 30 bytes, the name and the extra field.
    const dataStart = 30 + pack.readUInt16LE(26) + pack.readUInt16LE(28);
    const result = await verify(flipByte(Buffer.from(pack), dataStart + 40));
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/notices\.csv/);
  });

  it("fails when the manifest's signature changes, or a file's listed hash is changed to match a tampered file", async () => {
    const withSignature = (edit: (manifest: Record<string, unknown> & { signature: { value: string }; files: { name: string; sha256: string }[] }) => void) =>
      changed(EVIDENCE_MANIFEST, (data) => {
        const manifest = JSON.parse(data.toString("utf8"));
        edit(manifest);
        return Buffer.from(JSON.stringify(manifest));
      });
    const signature = await verify(await writeZip(withSignature((manifest) => (manifest.signature.value = `${manifest.signature.value[0] === "A" ? "B" : "A"}${manifest.signature.value.slice(1)}`))));
    expect(signature.problems).toEqual(["manifest.json's signature does not match its content"]);
    const rehashed = await verify(await writeZip(withSignature((manifest) => (manifest.files[0]!.sha256 = "0".repeat(64)))));
    expect(rehashed.problems).toContain("manifest.json's signature does not match its content");
  });

  it("names a missing file, an extra file, a file after the manifest and a key it does not trust", async () => {
    const missing = await verify(await writeZip(changed("audit.jsonl", () => null)));
    expect(missing.problems).toEqual(["audit.jsonl is missing from the ZIP"]);
    const extra = await verify(await writeZip([...entries.slice(0, -1), { name: "extra.txt", data: Buffer.from("x") }, entries.at(-1)!]));
    expect(extra.problems).toEqual(["the ZIP holds extra.txt, which the manifest does not list: an extra file"]);
    const after = await verify(await writeZip([...entries, { name: "late.txt", data: Buffer.from("x") }]));
    expect(after.problems).toEqual(["manifest.json is not the ZIP's last entry: something was added after the pack was made", "the ZIP holds late.txt, which the manifest does not list: an extra file"]);
    const stranger = await verify(pack, generateKeyPairSync("ed25519").publicKey);
    expect(stranger.problems).toEqual([expect.stringMatching(/^manifest\.json is signed with key [0-9a-f]{16}, not the trusted key [0-9a-f]{16}$/)]);
    expect((await verify(Buffer.from("not a zip"))).problems).toEqual([expect.stringMatching(/is not a readable ZIP/)]);
  });
});

describe("npm run evidence:verify", () => {
  it("exits 0 on a good pack and 1 on a tampered one, naming the problem", async () => {
    const publicKey = path.join(folder, "export-public.pem");
    writeFileSync(publicKey, TEST_PUBLIC_KEY.export({ format: "pem", type: "spki" }));
    const cli = (zip: string) =>
      run(path.resolve("node_modules/.bin/tsx"), ["--tsconfig", "tsconfig.scripts.json", "scripts/evidence-verify.ts", zip, "--public-key", publicKey], { env: { ...process.env, EXPORT_SIGNING_KEY: "" } }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    const good = await cli(saved("good.zip", pack));
    expect(good.stdout).toContain("good.zip verified.");
    expect(good.code).toBe(0);
    const bad = await cli(saved("bad.zip", await writeZip(changed("notices.csv", (data) => flipByte(data, 5)))));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/FAIL {2}notices\.csv has sha256/);
  });
});
