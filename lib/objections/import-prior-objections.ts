import "server-only";

import { randomUUID } from "node:crypto";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { actorColumns, assertRole, type TActor } from "@/lib/auth/actor";
import { INSERT_PRIOR_OBJECTIONS } from "@/lib/objections/import-prior-objections-sql";
import { PRIOR_IMPORT_MAX_BYTES, type TPriorImportCounts, type TPriorImportLine, type TPriorImportResult } from "@/lib/objections/import-prior-objections-types";
import { matchPriorObjections, type TPriorInsert } from "@/lib/objections/match-prior-objections";
import { readPriorObjectionRows } from "@/lib/objections/read-prior-objection-rows";
import { inTransaction } from "@/lib/pg";

export { PRIOR_IMPORT_MAX_BYTES };

export const PRIOR_IMPORT_BATCH_SIZE = 500;

const countsOf = (lines: TPriorImportLine[]): TPriorImportCounts => {
  const counts = { rows: lines.length, imported: 0, matched_external_id: 0, matched_email: 0, unmatched: 0, skipped_live: 0, error: 0 };
  for (const { outcome } of lines) counts[outcome]++;
  counts.imported = counts.matched_external_id + counts.matched_email + counts.unmatched;
  return counts;
};

/** The ids of the batch's objections that were inserted (a value is bound, never spliced into the text). */
const insertBatch = async (client: import("pg").PoolClient, { batch, actor }: { batch: TPriorInsert[]; actor: TActor }) => {
  if (batch.length === 0) return new Set<string>();
  const rows = JSON.stringify(batch.map(({ id, memberId, email, country, reason, effectiveAt }) => ({ id, memberId, email, country, reason, effectiveAt })));
  const { rows: inserted } = await client.query<{ id: string }>(INSERT_PRIOR_OBJECTIONS, [rows, actorColumns(actor).actorType, actorColumns(actor).actorId]);
  return new Set(inserted.map((row) => row.id));
};

/**
 * Imports objections made before this app existed, from a CSV an admin uploads. Each becomes an
 * effective objection with source `prior` and its original date, matched to a member by external id,
 * else by email (only if exactly one member has it). Every row is reported by line. A member with a
 * live objection keeps it and the row is skipped (the partial unique index settles a race the same
 * way, row by row). Imported objectors are live, so campaigns skip them, and the export trigger marks
 * each insert, so the next export carries them.
 * Batches of `batchSize` rows each commit in one transaction with their `created` events and an
 * `objections_import` audit event for that part, so a file that fails halfway leaves no unaudited
 * rows; the last part's event also holds the file's counts.
 */
export const importPriorObjections = async ({
  actor,
  csv,
  now = new Date(),
  batchSize = PRIOR_IMPORT_BATCH_SIZE,
}: {
  actor: TActor;
  csv: Buffer | string;
  now?: Date;
  batchSize?: number;
}): Promise<TPriorImportResult> => {
  assertRole(actor, "admin");
  const bytes = typeof csv === "string" ? Buffer.from(csv, "utf8") : csv;
  if (bytes.length > PRIOR_IMPORT_MAX_BYTES) throw new AppError("invalid", { message: `The file is larger than ${PRIOR_IMPORT_MAX_BYTES / 1024 / 1024} MB: split it and upload the parts one by one.` });
  if (!bytes.toString("utf8").trim()) throw new AppError("invalid", { message: "The file is empty: it needs a header row and one row per objection." });

  const read = readPriorObjectionRows({ bytes, now });
  const matched = await matchPriorObjections(read.valid);
  const lines = [...read.lines, ...matched.lines];

  // Insert batch by batch, each with its audit event; the last also carries the file's counts.
  const importId = randomUUID();
  const batches: TPriorInsert[][] = [];
  for (let start = 0; start < matched.inserts.length; start += batchSize) batches.push(matched.inserts.slice(start, start + batchSize));
  if (batches.length === 0) batches.push([]);
  for (const [index, batch] of batches.entries()) {
    await inTransaction(async (client) => {
      const inserted = await insertBatch(client, { batch, actor });
      for (const item of batch) {
        if (inserted.has(item.id)) {
          const message = item.outcome === "unmatched" ? "imported without a member (none has this address, or several do)" : "imported";
          lines.push({ line: item.line, outcome: item.outcome, message, objectionId: item.id });
        } else {
          // Someone objected between the lookup and the insert: the partial unique index kept theirs.
          lines.push({ line: item.line, outcome: "skipped_live", message: "the member already has a live objection" });
        }
      }
      const part = { importId, part: index + 1, parts: batches.length, importedInPart: inserted.size };
      if (index < batches.length - 1) {
        await recordAuditEvent(client, { actor, action: "objections_import", detail: part });
        return;
      }
      const { rows, imported, matched_external_id, matched_email, unmatched, skipped_live, error } = countsOf(lines);
      await recordAuditEvent(client, {
        actor,
        action: "objections_import",
        detail: { ...part, rows, imported, matchedByExternalId: matched_external_id, matchedByEmail: matched_email, unmatched, skippedLive: skipped_live, errors: error, bytes: bytes.length },
      });
    });
  }

  lines.sort((a, b) => a.line - b.line);
  return { counts: countsOf(lines), lines };
};
