import "server-only";

import type { KeyObject } from "node:crypto";
import { PassThrough, Readable } from "node:stream";

import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import yazl from "yazl";

import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { evidenceAuditLines } from "@/lib/evidence/evidence-audit-lines";
import { EVIDENCE_MANIFEST, EVIDENCE_SCHEMA_VERSION, type TEvidenceFile, type TEvidenceFileName, type TUnsignedEvidenceManifest } from "@/lib/evidence/evidence-manifest";
import { EVIDENCE_CAMPAIGN_SQL, noticesCopySql, type TEvidenceCampaignRow } from "@/lib/evidence/evidence-sql";
import { readEvidenceSummary } from "@/lib/evidence/evidence-summary";
import { signCanonical } from "@/lib/exports/canonical-signature";
import { hashingCounter } from "@/lib/exports/hashing-counter";
import { pgPool } from "@/lib/pg";

/**
 * Deflate level of the ZIP's entries. notices.csv shrinks 4.4-fold at level 1; level 6 saves only
 * 5 % more (scripts/bench/evidence.ts --level), for CPU the web instance serving the download spends.
 */
export const EVIDENCE_COMPRESSION_LEVEL = 1;

type TEntrySource = { stream: Readable; rows: () => number | null };

export type TEvidencePack = {
  /** The ZIP's bytes, as the database produces them. */
  output: Readable;
  /** Stops the pack: its connection is closed (the server ends the COPY and the transaction), the output errors. */
  abort: (reason: Error) => void;
  /** Settles once the ZIP is written, with what its manifest lists; rejects when the pack failed or was aborted. */
  finished: Promise<TEvidenceFile[]>;
};

/**
 * A campaign's evidence pack as a streamed ZIP (docs/evidence.md): notices.csv (COPY … TO STDOUT),
 * summary.json, audit.jsonl (a cursor), then manifest.json, signed, listing each file's bytes and
 * sha256 as hashed on the way through. One connection of the pg pool holds one REPEATABLE READ,
 * READ ONLY transaction for all of it, so the files describe one moment; nothing is held in memory
 * beyond a chunk. yazl writes ZIP64 records where a file or the archive passes 4 GB.
 * A campaign that does not exist rejects with not_found before any byte.
 */
export const writeEvidencePack = async ({
  campaignId,
  privateKey,
  pool = pgPool(),
  compressionLevel = EVIDENCE_COMPRESSION_LEVEL,
  zip64 = false,
}: {
  campaignId: string;
  privateKey: KeyObject;
  pool?: pg.Pool;
  /** For the bench's comparison of levels. */
  compressionLevel?: number;
  /** ZIP64 records even below 4 GB (yazl uses them by itself above): for a test of the format at a small size. */
  zip64?: boolean;
}): Promise<TEvidencePack> => {
  const client = await pool.connect();
  let released = false;
  // An error destroys the connection rather than return it: the server ends whatever it was sending.
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  let campaign: TEvidenceCampaignRow | undefined;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    campaign = (await client.query<TEvidenceCampaignRow>(EVIDENCE_CAMPAIGN_SQL, [campaignId])).rows[0];
    if (!campaign) await client.query("ROLLBACK");
  } catch (error) {
    release(error as Error);
    throw error;
  }
  if (!campaign) {
    release();
    throw campaignNotFound();
  }
  const found = campaign;

  const zip = new yazl.ZipFile();
  const output = zip.outputStream as PassThrough;
  const files: TEvidenceFile[] = [];
  let active: Readable | null = null;
  let failure: Error | null = null;
  let settle: { resolve: (files: TEvidenceFile[]) => void; reject: (error: Error) => void };
  const finished = new Promise<TEvidenceFile[]>((resolve, reject) => (settle = { resolve, reject }));
  finished.catch(() => undefined);

  const abort = (reason: Error) => {
    if (failure) return;
    failure = reason;
    active?.destroy();
    release(reason);
    output.destroy(reason);
    settle.reject(reason);
  };
  zip.on("error", (error: Error) => abort(error));
  output.on("close", () => {
    if (!output.readableEnded) abort(new Error("The evidence pack's reader went away before the end"));
  });
  output.on("end", () => settle.resolve(files));

  const entryOptions = { mtime: new Date(found.snapshotAt), compressionLevel, forceZip64Format: zip64 };
  /** Adds an entry whose content is made when its turn comes, hashed as yazl reads it. */
  const addEntry = (name: TEvidenceFileName, source: () => Promise<TEntrySource>) => {
    zip.addReadStreamLazy(name, entryOptions, (callback) => {
      if (failure) return;
      source().then(({ stream, rows }) => {
        active = stream;
        const counter = hashingCounter();
        stream.on("error", (error: Error) => abort(error));
        counter.stream.on("end", () => files.push({ name, rows: rows(), ...counter.result() }));
        callback(null, stream.pipe(counter.stream));
      }, abort);
    });
  };

  let noticeRows = 0;
  addEntry("notices.csv", async () => {
    const stream = client.query(copyTo(noticesCopySql(client.escapeLiteral(found.id))));
    stream.on("end", () => (noticeRows = stream.rowCount));
    return { stream, rows: () => stream.rowCount };
  });
  addEntry("summary.json", async () => {
    const summary = await readEvidenceSummary({ client, campaign: found, notices: noticeRows });
    return { stream: Readable.from([Buffer.from(`${JSON.stringify(summary, null, 2)}\n`, "utf8")]), rows: () => null };
  });
  addEntry("audit.jsonl", async () => evidenceAuditLines({ client, campaignId: found.id }));
  // Last, once every file it lists has been written and hashed; the database's part is over by then.
  zip.addReadStreamLazy(EVIDENCE_MANIFEST, entryOptions, (callback) => {
    if (failure) return;
    client.query("COMMIT").then(() => {
      release();
      const unsigned = { schemaVersion: EVIDENCE_SCHEMA_VERSION, kind: "campaign-evidence-pack", campaignId: found.id, createdAt: found.snapshotAt, files } satisfies TUnsignedEvidenceManifest;
      const manifest = signCanonical({ document: unsigned, privateKey });
      callback(null, Readable.from([Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8")]));
    }, abort);
  });
  zip.end({ forceZip64Format: zip64, comment: "" });
  return { output, abort, finished };
};
