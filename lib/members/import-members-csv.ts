import "server-only";

import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream";

import { type CsvError, type CsvErrorCode, type Info, parse } from "csv-parse";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { createQuoteGuard } from "@/lib/members/csv-quote-guard";
import { importFileError, ROW_FIELD, type TBadRow, type TImportProgress, type TImportResult } from "@/lib/members/import-members-csv-types";
import { createMemberPartWriter } from "@/lib/members/member-import-parts";
import { ZMemberInput } from "@/lib/members/schema";
import { CSV_ROW_OPTIONS, unknownColumnPositions } from "@/lib/validation/csv-row-options";

export { ROW_FIELD, type TBadRow, type TImportProgress, type TImportResult };

/** Rows per part: each is copied, merged and committed in one transaction. */
export const IMPORT_BATCH_SIZE = 100_000;
const PROGRESS_INTERVAL_MS = 200;
const REQUIRED_COLUMNS = ["externalId", "email", "country", "birthDate"];
const COLUMNS = [...REQUIRED_COLUMNS, "locale"];
// Our own words for csv-parse's errors: its messages quote the offending value, which may be an email address.
const CSV_REASONS: Partial<Record<CsvErrorCode, string>> = {
  CSV_RECORD_INCONSISTENT_COLUMNS: "the row has more values than the header has columns",
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: "the row has more values than the header has columns",
};

const readHeader = (header: string[]) => {
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  const unknown = unknownColumnPositions(header, COLUMNS);
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
 * copied to PostgreSQL and merged in parts of `batchSize` rows, each committed on its own, so a failure
 * keeps the parts before it; running the import again is safe. Bad rows are skipped and reported, in
 * line order, through `onBadRow`. Only the platform syncs its members.
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
  assertActorKind(actor, "platform");
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
    ...CSV_ROW_OPTIONS,
  });
  parser.on("skip", (error: CsvError) => {
    waiting.push({ line: error.lines as number, field: ROW_FIELD, reason: CSV_REASONS[error.code] ?? "the row is not valid CSV" });
  });
  // Errors (unreadable file, bad header) destroy the parser and surface in the loop.
  pipeline(source, createQuoteGuard((badRow) => waiting.push(badRow)), parser, () => undefined);

  let skipped = 0;
  let rowsRead = 0;
  let lastProgress = Date.now();
  const parts = createMemberPartWriter({ partSize: batchSize });

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

  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string | undefined>; info: Info }>) {
      // Each line reaching the parser is a whole record (the guard sees to it), so this is its line.
      reportWaitingBefore(info.lines);
      rowsRead++;
      const parsed = ZMemberInput.safeParse(withoutEmptyCells(record));
      if (parsed.success) {
        const stalled = parts.add(info.lines, parsed.data);
        if (stalled) await stalled;
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
    const { created, updated } = await parts.finish();
    reportWaitingBefore(Infinity);
    return { created, updated, skipped, rows: created + updated };
  } finally {
    await parts.close();
  }
};
