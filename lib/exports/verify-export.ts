import type { KeyObject } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";

import { DELTA_COLUMNS, SNAPSHOT_COLUMNS } from "@/lib/exports/export-run-sql";
import { manifestSignatureProblem, type TExportFile, type TExportManifest, ZExportManifest } from "@/lib/exports/export-manifest";
import { isAppError } from "@/lib/errors/app-error";
import { exportFileBatches, rowReader } from "@/lib/exports/export-rows";
import type { TExportStorage } from "@/lib/exports/export-storage";
import { hashingCounter } from "@/lib/exports/hashing-counter";
import { signingKeyId } from "@/lib/exports/signing-key";

export type TVerifyResult = { ok: boolean; problems: string[]; checks: string[] };

const MAX_PROBLEMS = 20;

const text = async (body: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
};

/** Reads and checks the shape of `<run>/manifest.json`; the API's unsigned `acknowledgedAt` is dropped. */
export const readManifest = async ({ storage, runId }: { storage: TExportStorage; runId: string }): Promise<TExportManifest | string> => {
  const body = await storage.get(`${runId}/manifest.json`);
  if (!body) return `${runId}/manifest.json is missing`;
  let json: unknown;
  try {
    json = JSON.parse(await text(body));
  } catch {
    return `${runId}/manifest.json is not JSON`;
  }
  if (json && typeof json === "object" && "acknowledgedAt" in json) delete (json as Record<string, unknown>).acknowledgedAt;
  const parsed = ZExportManifest.safeParse(json);
  if (!parsed.success) return `${runId}/manifest.json does not match schema version 2: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`;
  if (parsed.data.runId !== runId) return `${runId}/manifest.json names run ${parsed.data.runId}: the file was moved or swapped`;
  return parsed.data;
};

const hashOf = async ({ storage, key }: { storage: TExportStorage; key: string }) => {
  const body = await storage.get(key);
  if (!body) return null;
  const counter = hashingCounter();
  await pipeline(body, counter.stream, new Writable({ write: (_chunk, _encoding, callback) => callback() }));
  return counter.result();
};

const columnsOf = (kind: TExportFile["kind"]) => (kind === "delta" ? DELTA_COLUMNS : SNAPSHOT_COLUMNS);

/** Checks one file against its manifest entry: bytes, sha256, row count, and rows in growing `seq`. */
const checkFile = async ({ storage, manifest, file, problems }: { storage: TExportStorage; manifest: TExportManifest; file: TExportFile; problems: string[] }) => {
  const key = `${manifest.runId}/${file.name}`;
  const hash = await hashOf({ storage, key });
  if (!hash) return void problems.push(`${file.name} is missing`);
  if (hash.bytes !== file.bytes) problems.push(`${file.name} has ${hash.bytes} bytes, the manifest says ${file.bytes}`);
  if (hash.sha256 !== file.sha256) problems.push(`${file.name} has sha256 ${hash.sha256}, the manifest says ${file.sha256}: the file was altered or swapped`);
  let rows = 0;
  let lastSeq = file.kind === "delta" ? BigInt(manifest.previousLastSeq) : 0n;
  try {
    for await (const batch of exportFileBatches({ storage, key, format: manifest.format, columns: columnsOf(file.kind) })) {
      for (const row of batch) {
        rows++;
        const seq = /^\d+$/.test(row[0] ?? "") ? BigInt(row[0]!) : -1n;
        if (seq <= lastSeq && problems.length < MAX_PROBLEMS) problems.push(`${file.name} row ${rows}: seq ${row[0]} does not grow (after ${lastSeq})`);
        if (seq > BigInt(manifest.lastSeq) && problems.length < MAX_PROBLEMS) problems.push(`${file.name} row ${rows}: seq ${row[0]} is above the manifest's lastSeq ${manifest.lastSeq}`);
        lastSeq = seq;
      }
    }
  } catch (error) {
    if (!isAppError(error, "invalid_file")) throw error;
    return void problems.push(error.message);
  }
  if (rows !== file.rows) problems.push(`${file.name} has ${rows} rows, the manifest says ${file.rows}`);
};

const fileOf = (manifest: TExportManifest, kind: TExportFile["kind"]) => manifest.files.find((file) => file.kind === kind);

/**
 * The chain: the previous run's snapshot, minus what the delta removes, plus what it adds, in
 * order, must be this run's snapshot row for row. Streams all three files; holds only the delta's
 * removals in memory.
 */
const ALONE = "verify this run alone with --no-chain";

const checkChain = async ({ storage, manifest, publicKey, checks, problems }: { storage: TExportStorage; manifest: TExportManifest; publicKey: KeyObject; checks: string[]; problems: string[] }) => {
  const delta = fileOf(manifest, "delta");
  const snapshot = fileOf(manifest, "snapshot");
  if (!delta || !snapshot) return void problems.push("the manifest does not list one snapshot and one delta");
  let previous: TExportManifest | null = null;
  if (manifest.previousRunId) {
    // A delta is only as good as the snapshot it applies to: without the previous run nothing
    // says this one follows it, so a missing run is a problem unless the caller says to skip it.
    const found = await readManifest({ storage, runId: manifest.previousRunId });
    if (typeof found === "string") return void problems.push(`chain: the previous run's manifest is not available (${found}); if retention deleted it, ${ALONE}`);
    const signatureProblem = manifestSignatureProblem({ manifest: found, publicKey });
    if (signatureProblem) return void problems.push(`chain: the previous run's manifest: ${signatureProblem}`);
    previous = found;
    const previousSnapshot = fileOf(previous, "snapshot");
    const hash = previousSnapshot ? await hashOf({ storage, key: `${previous.runId}/${previousSnapshot.name}` }) : null;
    if (!previousSnapshot || !hash) return void problems.push(`chain: the previous run's snapshot is not available; if retention deleted it, ${ALONE}`);
    if (hash.sha256 !== previousSnapshot.sha256) return void problems.push(`chain: the previous run's ${previousSnapshot.name} does not match its manifest`);
  }
  const expectedPreviousSeq = previous?.lastSeq ?? 0;
  if (manifest.previousLastSeq !== expectedPreviousSeq) problems.push(`chain: previousLastSeq is ${manifest.previousLastSeq}, the previous run ended at ${expectedPreviousSeq}`);

  const batchesOf = (run: TExportManifest, file: TExportFile) => exportFileBatches({ storage, key: `${run.runId}/${file.name}`, format: run.format, columns: columnsOf(file.kind) });
  const fail = (message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(`chain: ${message}`);
  };
  try {
    // Removals by objection id, with the values they say the previous snapshot held.
    const removals = new Map<string, string>();
    for await (const batch of batchesOf(manifest, delta)) {
      for (const [seq, op, objectionId, ...values] of batch) {
        if (op === "remove") removals.set(objectionId ?? "", values.join("\u0000"));
        else if (op !== "add") fail(`delta row seq ${seq} has op "${op}"`);
      }
    }
    const current = rowReader(batchesOf(manifest, snapshot));
    let position = 0;
    const expect = async (row: string[], from: string) => {
      const next = await current.next();
      position++;
      if (!next) return fail(`${snapshot.name} ends at row ${position - 1}, but ${from} (seq ${row[0]}) should follow`);
      if (next.length !== row.length || next.some((value, index) => value !== row[index])) fail(`${snapshot.name} row ${position} (seq ${next[0]}) is not ${from} (seq ${row[0]})`);
    };
    if (previous) {
      const previousSnapshot = fileOf(previous, "snapshot")!;
      for await (const batch of batchesOf(previous, previousSnapshot)) {
        for (const row of batch) {
          const [, objectionId, ...values] = row;
          const removed = removals.get(objectionId ?? "");
          if (removed === undefined) {
            await expect(row, `the previous snapshot's row`);
            continue;
          }
          if (removed !== values.join("\u0000")) fail(`the delta removes objection ${objectionId} with values the previous snapshot does not hold`);
          removals.delete(objectionId ?? "");
        }
      }
    }
    for (const objectionId of removals.keys()) fail(`the delta removes objection ${objectionId}, which the previous snapshot does not hold`);
    for await (const batch of batchesOf(manifest, delta)) {
      for (const [seq, op, ...rest] of batch) {
        if (op === "add") await expect([seq ?? "", ...rest], "the delta's add");
      }
    }
    const extra = await current.next();
    if (extra) fail(`${snapshot.name} has rows beyond the previous snapshot plus the delta, from seq ${extra[0]}`);
  } catch (error) {
    if (!isAppError(error, "invalid_file")) throw error;
    return void problems.push(error.message);
  }
  if (!problems.some((problem) => problem.startsWith("chain:"))) {
    checks.push(previous ? `chain: run ${previous.runId}'s snapshot plus this delta equals this snapshot` : "chain: first run of the chain; its delta adds exactly its snapshot");
  }
};

/** Everything a pipeline should check before applying a run. */
export const verifyExportRun = async ({ storage, runId, publicKey, chain = true }: { storage: TExportStorage; runId: string; publicKey: KeyObject; chain?: boolean }): Promise<TVerifyResult> => {
  const problems: string[] = [];
  const checks: string[] = [];
  const manifest = await readManifest({ storage, runId });
  if (typeof manifest === "string") return { ok: false, problems: [manifest], checks };
  const signatureProblem = manifestSignatureProblem({ manifest, publicKey });
  if (signatureProblem) problems.push(signatureProblem);
  else checks.push(`signature: Ed25519, key ${signingKeyId(publicKey)}`);
  for (const file of manifest.files) {
    const before = problems.length;
    await checkFile({ storage, manifest, file, problems });
    if (problems.length === before) checks.push(`${file.name}: ${file.rows} rows, ${file.bytes} bytes, sha256 matches`);
  }
  if (chain) await checkChain({ storage, manifest, publicKey, checks, problems });
  else checks.push("chain not checked (--no-chain): this run's files only, not that it follows the previous run");
  return { ok: problems.length === 0, problems, checks };
};
