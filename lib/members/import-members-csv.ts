import "server-only";

import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline, Transform } from "node:stream";

import { type CsvError, type CsvErrorCode, type Info, parse } from "csv-parse";

import type { TActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import { type TMemberInput, ZMemberInput } from "@/lib/members/schema";
import { upsertMembers } from "@/lib/members/upsert-members";

export const IMPORT_BATCH_SIZE = 5_000;
const PROGRESS_INTERVAL_MS = 200;
// A longer line is not a member row: most likely a file with no LF line endings, which would
// otherwise be buffered whole.
const MAX_LINE_BYTES = 1024 * 1024;
const REQUIRED_COLUMNS = ["externalId", "email", "country", "birthDate"];
const COLUMNS = [...REQUIRED_COLUMNS, "locale"];
/** The `field` of a bad row that is not valid CSV, so no single column is to blame. */
export const ROW_FIELD = "(row)";

/** `line` is the file's line number: the header is line 1. */
export type TBadRow = { line: number; field: string; reason: string };
/** `rows`: data rows read so far, good and bad. */
export type TImportProgress = { bytesRead: number; totalBytes: number; rows: number };
/** `rows`: rows imported, `created + updated`; `skipped`: bad rows. */
export type TImportResult = { created: number; updated: number; skipped: number; rows: number };

/** The file as a whole cannot be imported (no or wrong header, a line too long): nothing more was read. */
const importFileError = (message: string) => new AppError("invalid_file", { message });

// Our own words for csv-parse's errors: its messages quote the offending value, which may be an email address.
const CSV_REASONS: Partial<Record<CsvErrorCode, string>> = {
  CSV_RECORD_INCONSISTENT_COLUMNS: "the row has more values than the header has columns",
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: "the row has more values than the header has columns",
};
const UNCLOSED_QUOTE = "a quoted value is not closed on this line";
const TEXT_AFTER_QUOTE = "a quoted value is followed by something other than a comma";
const STRAY_QUOTE = 'a quote inside an unquoted value (quote the whole value and double the quote: "a""b")';

const isBlank = (character: string) => /\s/.test(character);

/**
 * Why a line that holds a quote is not valid CSV on its own, or undefined if it is. Follows csv-parse's
 * rules with `trim`. No member field may hold a line break, so a quote must close on its own line.
 */
const quoteProblem = (line: string) => {
  let pos = 0;
  while (pos <= line.length) {
    while (pos < line.length && isBlank(line[pos]!)) pos++;
    if (line[pos] === '"') {
      pos++;
      for (;;) {
        const close = line.indexOf('"', pos);
        if (close < 0) return UNCLOSED_QUOTE;
        pos = close + 1;
        if (line[pos] !== '"') break;
        pos++;
      }
      while (pos < line.length && isBlank(line[pos]!)) pos++;
      if (pos < line.length && line[pos] !== ",") return TEXT_AFTER_QUOTE;
    } else {
      const comma = line.indexOf(",", pos);
      const end = comma < 0 ? line.length : comma;
      const quote = line.indexOf('"', pos);
      if (quote >= 0 && quote < end) return STRAY_QUOTE;
      pos = end;
    }
    pos++;
  }
  return undefined;
};

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x22;

const countLines = (data: Buffer) => {
  let lines = 0;
  for (let at = data.indexOf(NEWLINE); at >= 0; at = data.indexOf(NEWLINE, at + 1)) lines++;
  return lines;
};

/**
 * Sits before csv-parse and blanks (keeping its line break, so line numbers hold) every line whose quotes
 * are broken, reporting it. csv-parse cannot recover from these: after an unclosed quote, or a closing quote
 * followed by text, it stays inside the quoted value and swallows the following lines, up to the end of the
 * file. Lines without a quote, nearly all of them, pass through unexamined.
 */
const createQuoteGuard = (report: (badRow: TBadRow) => void) => {
  let carry: Buffer = Buffer.alloc(0);
  let linesDone = 0;

  const guardLines = (data: Buffer) => {
    if (data.indexOf(QUOTE) < 0) {
      linesDone += countLines(data);
      return data;
    }
    const kept: Buffer[] = [];
    for (let start = 0; start < data.length; ) {
      const newline = data.indexOf(NEWLINE, start);
      const end = newline < 0 ? data.length : newline + 1;
      const line = data.subarray(start, end);
      linesDone++;
      const problem = line.indexOf(QUOTE) < 0 ? undefined : quoteProblem(line.toString("utf8").replace(/\r?\n$/, ""));
      if (!problem) kept.push(line);
      else if (linesDone === 1) throw importFileError(`The header row (line 1) is not valid CSV: ${problem}.`);
      else {
        report({ line: linesDone, field: ROW_FIELD, reason: problem });
        const lineBreak = newline < 0 ? 0 : line.at(-2) === CARRIAGE_RETURN ? 2 : 1;
        kept.push(line.subarray(line.length - lineBreak));
      }
      start = end;
    }
    return Buffer.concat(kept);
  };

  const guard: Transform = new Transform({
    transform: (chunk: Buffer, _encoding, callback) => {
      try {
        const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const lastNewline = data.lastIndexOf(NEWLINE);
        carry = data.subarray(lastNewline + 1);
        if (carry.length > MAX_LINE_BYTES) throw importFileError(`Line ${linesDone + 1} is longer than 1 MB: is this a CSV file with LF or CRLF line endings?`);
        if (lastNewline >= 0) guard.push(guardLines(data.subarray(0, lastNewline + 1)));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush: (callback) => {
      try {
        if (carry.length) guard.push(guardLines(carry));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  return guard;
};

const readHeader = (header: string[]) => {
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  // Positions, not names: a file without a header row would have us echo its first member's email.
  const unknown = header.flatMap((column, index) => (COLUMNS.includes(column) ? [] : [index + 1]));
  const repeated = header.filter((column, index) => header.indexOf(column) !== index);
  const problems = [
    missing.length ? `lacks ${missing.join(", ")}` : "",
    unknown.length ? `has unknown columns at positions ${unknown.join(", ")}` : "",
    repeated.length ? `repeats ${repeated.join(", ")}` : "",
  ].filter(Boolean);
  if (problems.length) {
    throw importFileError(`The header row (line 1) ${problems.join("; ")}: it must name the columns ${REQUIRED_COLUMNS.join(",")} and optionally locale.`);
  }
  return header;
};

/** A CSV has no null: an empty cell is a missing value, so an optional column may be left empty. */
const withoutEmptyCells = (record: Record<string, string | undefined>) => {
  const present: Record<string, string> = {};
  for (const key in record) if (record[key]) present[key] = record[key];
  return present;
};

/**
 * Imports members from a CSV file, streaming: memory stays flat whatever the file's size. Valid rows are
 * upserted in batches of `batchSize`, each its own statement, so a failure keeps the batches before it;
 * running the import again is safe. Bad rows are skipped and reported, in line order, through `onBadRow`.
 */
export const importMembersCsv = async ({
  actor,
  file,
  onProgress,
  onBadRow,
  batchSize = IMPORT_BATCH_SIZE,
}: {
  actor: TActor;
  file: string;
  onProgress?: (progress: TImportProgress) => void;
  onBadRow?: (badRow: TBadRow) => void;
  batchSize?: number;
}): Promise<TImportResult> => {
  const totalBytes = (await stat(file)).size;
  const source = createReadStream(file);
  // The guard and the parser run ahead of the loop below: their bad rows wait here until the loop reaches them.
  const waiting: TBadRow[] = [];
  let headerRead = false;
  const parser = parse({
    columns: (header: string[]) => {
      headerRead = true;
      return readHeader(header);
    },
    info: true,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    // A short row reaches validation, which names the missing column; a long one is skipped as bad CSV.
    relax_column_count_less: true,
    skip_records_with_error: true,
  });
  parser.on("skip", (error: CsvError) => {
    waiting.push({ line: error.lines as number, field: ROW_FIELD, reason: CSV_REASONS[error.code] ?? "the row is not valid CSV" });
  });
  // Errors (unreadable file, bad header) destroy the parser and surface in the loop.
  pipeline(source, createQuoteGuard((badRow) => waiting.push(badRow)), parser, () => undefined);

  let created = 0;
  let updated = 0;
  let skipped = 0;
  let rowsRead = 0;
  let lastProgress = Date.now();
  let batch = new Map<string, TMemberInput>();
  let superseded = 0;

  const reportBadRow = (badRow: TBadRow) => {
    skipped++;
    onBadRow?.(badRow);
  };
  const reportWaitingBefore = (line: number) => {
    if (!waiting.length || waiting[0]!.line >= line) return;
    waiting.sort((a, b) => a.line - b.line);
    while (waiting.length && waiting[0]!.line < line) {
      rowsRead++;
      reportBadRow(waiting.shift()!);
    }
  };
  const writeBatch = async () => {
    if (!batch.size) return;
    const result = await upsertMembers({ actor, members: [...batch.values()] });
    created += result.created;
    // Each row replaced by a later one with the same externalId adds an update: read one by one, the later
    // row would have updated the earlier one. So the counts do not depend on where the batches split.
    updated += result.updated + superseded;
    batch = new Map();
    superseded = 0;
  };

  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string | undefined>; info: Info }>) {
    // Each line reaching the parser is a whole record (the guard sees to it), so this is its line.
    reportWaitingBefore(info.lines);
    rowsRead++;
    const parsed = ZMemberInput.safeParse(withoutEmptyCells(record));
    if (parsed.success) {
      // Postgres refuses an upsert that touches one row twice: the last occurrence wins.
      if (batch.has(parsed.data.externalId)) superseded++;
      batch.set(parsed.data.externalId, parsed.data);
      if (batch.size >= batchSize) await writeBatch();
    } else {
      const [issue] = parsed.error.issues;
      reportBadRow({ line: info.lines, field: issue?.path.join(".") || ROW_FIELD, reason: issue?.message ?? "the row is not valid" });
    }
    if (onProgress && Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = Date.now();
      onProgress({ bytesRead: source.bytesRead, totalBytes, rows: rowsRead });
    }
  }
  if (!headerRead) throw importFileError("The file is empty: it needs a header row naming the columns externalId,email,country,birthDate and optionally locale.");
  await writeBatch();
  reportWaitingBefore(Infinity);
  return { created, updated, skipped, rows: created + updated };
};
