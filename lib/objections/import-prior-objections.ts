import "server-only";

import { randomUUID } from "node:crypto";

import { type CsvError, type Info } from "csv-parse";
import { parse } from "csv-parse/sync";
import { z } from "zod";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { actorColumns, assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { TransactionClient } from "@/lib/generated/prisma/internal/prismaNamespace";
import { isIsoCountry } from "@/lib/members/iso-countries";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { PRIOR_IMPORT_MAX_BYTES, type TPriorImportCounts, type TPriorImportLine, type TPriorImportOutcome, type TPriorImportResult } from "@/lib/objections/import-prior-objections-types";
import { liveObjectionSql } from "@/lib/objections/live-objection";
import { pgPool } from "@/lib/pg";
import { emailAddress } from "@/lib/validation/email";
import { hasControlCharacter, hasFreeTextControlCharacter } from "@/lib/validation/text";

export { PRIOR_IMPORT_MAX_BYTES };

export const PRIOR_IMPORT_BATCH_SIZE = 500;
const REASON_MAX_LENGTH = 2000;

const COLUMNS = ["external_id", "email", "objected_at", "country", "reason"] as const;
type TColumn = (typeof COLUMNS)[number];

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** An ISO date (midnight UTC) or datetime (UTC unless it names its offset), or undefined. */
const parseObjectedAt = (value: string) => {
  const text = ISO_DAY.test(value) ? `${value}T00:00:00Z` : ISO_DATETIME.test(value) ? (/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`) : undefined;
  if (!text) return undefined;
  const at = new Date(text);
  // Date rolls 2025-02-30 over into March: a real day reads back as itself.
  if (Number.isNaN(at.getTime()) || (ISO_DAY.test(value) && !at.toISOString().startsWith(value))) return undefined;
  return at;
};

const ZPriorRow = (now: Date) =>
  z
    .object({
      external_id: z.string().max(200, { error: "external_id is at most 200 characters" }).optional(),
      email: emailAddress({ error: "email is not an email address" }).max(254, { error: "email is at most 254 characters" }).transform(normaliseEmail).optional(),
      objected_at: z
        .string({ error: "objected_at is required" })
        .transform((value, context) => {
          const at = parseObjectedAt(value);
          if (!at) context.addIssue({ code: "custom", message: "objected_at must be an ISO date (2025-03-14) or datetime (2025-03-14T09:30:00Z)" });
          else if (at > now) context.addIssue({ code: "custom", message: "objected_at is in the future" });
          return at ?? now;
        }),
      country: z
        .string()
        .toUpperCase()
        .refine(isIsoCountry, { error: "country must be an assigned ISO 3166-1 alpha-2 code, such as DE" })
        .optional(),
      reason: z.string().max(REASON_MAX_LENGTH, { error: `reason is at most ${REASON_MAX_LENGTH} characters` }).optional(),
    })
    .refine((row) => row.external_id || row.email, { error: "the row needs an external_id or an email", path: ["external_id"] });

type TPriorRow = z.output<ReturnType<typeof ZPriorRow>>;
type TMember = { id: string; externalId: string; email: string; country: string };
type TInsert = { line: number; outcome: TPriorImportOutcome; id: string; memberId: string | null; email: string; country: string; reason: string | null; effectiveAt: Date };

const readHeader = (header: string[]) => {
  const names = header.map((name) => name.trim().toLowerCase());
  const unknown = names.flatMap((name, index) => ((COLUMNS as readonly string[]).includes(name) ? [] : [index + 1]));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  const problems = [
    !names.includes("objected_at") ? "lacks objected_at" : "",
    !names.includes("external_id") && !names.includes("email") ? "needs external_id or email (or both)" : "",
    // Positions, not names: a file without a header row would have us echo its first address.
    unknown.length ? `has unknown columns at positions ${unknown.join(", ")}` : "",
    repeated.length ? `repeats ${[...new Set(repeated)].join(", ")}` : "",
  ].filter(Boolean);
  if (problems.length) {
    throw new AppError("invalid", { message: `The header row (line 1) ${problems.join("; ")}. The columns are external_id and/or email, objected_at, and optionally country and reason.` });
  }
  return names;
};

/** A CSV has no null: an empty cell is a missing value. */
const presentCells = (record: Record<string, string | undefined>) => {
  const present: Partial<Record<TColumn, string>> = {};
  for (const key of COLUMNS) if (record[key]) present[key] = record[key];
  return present;
};

const countsOf = (lines: TPriorImportLine[]): TPriorImportCounts => {
  const counts = { rows: lines.length, imported: 0, matched_external_id: 0, matched_email: 0, unmatched: 0, skipped_live: 0, error: 0 };
  for (const { outcome } of lines) counts[outcome]++;
  counts.imported = counts.matched_external_id + counts.matched_email + counts.unmatched;
  return counts;
};

/**
 * The batch as JSON rows, inserted with their events; a value is bound, never spliced into the text.
 * So the conflict target, the `member` rule's index (lib/objections/live-objection.ts), is spelled
 * out: spliced into this tagged template it would be bound as a value.
 */
const insertBatch = (tx: Pick<TransactionClient, "$queryRaw">, { rows, actor }: { rows: string; actor: TActor }) => tx.$queryRaw<{ id: string }[]>`
  WITH input AS (
    SELECT * FROM json_to_recordset(${rows}::json) AS r(id uuid, "memberId" uuid, email text, country text, reason text, "effectiveAt" timestamptz)
  ), inserted AS (
    INSERT INTO "Objection" (id, "memberId", email, country, reason, source, status, "effectiveAt")
    SELECT id, "memberId", email, country, reason, 'prior', 'effective', "effectiveAt" FROM input
    ON CONFLICT ("memberId") WHERE status = 'effective' DO NOTHING
    RETURNING id
  ), events AS (
    INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail)
    SELECT id, 'created', ${actorColumns(actor).actorType}::"ActorType", ${actorColumns(actor).actorId}, '{"imported":true}'::jsonb FROM inserted
  )
  SELECT id::text FROM inserted`;

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

  const lines: TPriorImportLine[] = [];
  let records: { record: Record<string, string>; info: Info }[];
  try {
    records = parse(bytes, {
      columns: readHeader,
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count_less: true,
      skip_records_with_error: true,
      // Our own words: csv-parse's messages quote the offending value, which may be an address.
      on_skip: (error: CsvError | undefined) => {
        lines.push({ line: Number(error?.lines ?? 0), outcome: "error", message: "the row is not valid CSV (check its quotes and its number of values)" });
        return undefined;
      },
    }) as { record: Record<string, string>; info: Info }[];
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("invalid", { message: "The file is not CSV this import can read: it needs a header row (external_id, email, objected_at, country, reason) and comma-separated rows." });
  }
  if (records.length === 0 && lines.length === 0) throw new AppError("invalid", { message: "The file has a header but no rows." });

  // 1. Validate each row on its own.
  const schema = ZPriorRow(now);
  const valid: { line: number; row: TPriorRow }[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    // PostgreSQL refuses NUL, and a line break in an identifier or an address splits an exported row:
    // the row is reported, the rest of the file goes on. A reason keeps its line breaks and tabs.
    const controlled = COLUMNS.find((column) => record[column] && (column === "reason" ? hasFreeTextControlCharacter : hasControlCharacter)(record[column]));
    if (controlled) {
      const examples = controlled === "reason" ? "such as NUL or an escape character" : "such as NUL, a tab or a line break";
      lines.push({ line, outcome: "error", message: `${controlled} contains a control character (${examples})` });
      continue;
    }
    const parsed = schema.safeParse(presentCells(record));
    if (!parsed.success) lines.push({ line, outcome: "error", message: parsed.error.issues[0]?.message ?? "the row is not valid" });
    else valid.push({ line, row: parsed.data });
  }

  // 2. Find the members and which of them already have a live objection.
  const externalIds = [...new Set(valid.flatMap(({ row }) => (row.external_id ? [row.external_id] : [])))];
  const emails = [...new Set(valid.flatMap(({ row }) => (row.email ? [row.email] : [])))];
  const { rows: members } = await pgPool().query<TMember>(
    `SELECT id, "externalId", email, country FROM "Member" WHERE "externalId" = ANY($1::text[]) OR email = ANY($2::text[])`,
    [externalIds, emails],
  );
  const byExternalId = new Map(members.map((member) => [member.externalId, member]));
  const byEmail = new Map<string, TMember[]>();
  for (const member of members) byEmail.set(member.email, [...(byEmail.get(member.email) ?? []), member]);
  const { rows: live } = await pgPool().query<{ memberId: string }>(`SELECT "memberId" FROM "Objection" WHERE ${liveObjectionSql({ rule: "member", objection: "", memberId: "ANY($1::uuid[])" })}`, [
    members.map((member) => member.id),
  ]);
  const hasLive = new Set(live.map((row) => row.memberId));

  // 3. Decide each row, in file order: an earlier row of the same member wins.
  const inserts: TInsert[] = [];
  for (const { line, row } of valid) {
    const member = (row.external_id && byExternalId.get(row.external_id)) || undefined;
    const emailMembers = !member && row.email ? (byEmail.get(row.email) ?? []) : [];
    const matched = member ?? (emailMembers.length === 1 ? emailMembers[0] : undefined);
    const base = { line, id: randomUUID(), reason: row.reason ?? null, effectiveAt: row.objected_at };
    if (matched) {
      if (hasLive.has(matched.id)) {
        lines.push({ line, outcome: "skipped_live", message: `member ${matched.externalId} already has a live objection` });
        continue;
      }
      hasLive.add(matched.id);
      inserts.push({ ...base, outcome: member ? "matched_external_id" : "matched_email", memberId: matched.id, email: matched.email, country: matched.country });
      continue;
    }
    if (!row.email) {
      lines.push({ line, outcome: "error", message: "no member has this external_id, and the row has no email to keep the objection under" });
      continue;
    }
    if (!row.country) {
      lines.push({ line, outcome: "error", message: "country is required when no member matches" });
      continue;
    }
    inserts.push({ ...base, outcome: "unmatched", memberId: null, email: row.email, country: row.country });
  }

  // 4. Insert batch by batch, each with its audit event; the last also carries the file's counts.
  const importId = randomUUID();
  const batches: TInsert[][] = [];
  for (let start = 0; start < inserts.length; start += batchSize) batches.push(inserts.slice(start, start + batchSize));
  if (batches.length === 0) batches.push([]);
  for (const [index, batch] of batches.entries()) {
    await db().$transaction(
      async (tx) => {
        const inserted = batch.length
          ? new Set(
              (
                await insertBatch(tx, {
                  rows: JSON.stringify(batch.map(({ id, memberId, email, country, reason, effectiveAt }) => ({ id, memberId, email, country, reason, effectiveAt }))),
                  actor,
                })
              ).map((row) => row.id),
            )
          : new Set<string>();
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
          await recordAuditEvent(tx, { actor, action: "objections_import", detail: part });
          return;
        }
        const { rows, imported, matched_external_id, matched_email, unmatched, skipped_live, error } = countsOf(lines);
        await recordAuditEvent(tx, {
          actor,
          action: "objections_import",
          detail: { ...part, rows, imported, matchedByExternalId: matched_external_id, matchedByEmail: matched_email, unmatched, skippedLive: skipped_live, errors: error, bytes: bytes.length },
        });
      },
      { timeout: 60_000 },
    );
  }

  lines.sort((a, b) => a.line - b.line);
  return { counts: countsOf(lines), lines };
};
