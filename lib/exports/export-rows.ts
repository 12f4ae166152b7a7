import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { parse } from "csv-parse";

import type { TExportFormat } from "@/lib/exports/export-manifest";
import type { TExportStorage } from "@/lib/exports/export-storage";

export class ExportFileError extends Error {}

const ROWS_PER_READ = 10_000;

type TRowSource = { body: Readable; columns: string[]; key: string };

const checkHeader = ({ found, columns, key }: { found: string[]; columns: string[]; key: string }) => {
  if (found.join(",") !== columns.join(",")) throw new ExportFileError(`${key}: the columns are ${found.join(", ")}, not ${columns.join(", ")}`);
};

const csvRows = async function* ({ body, columns, key }: TRowSource) {
  let header = true;
  for await (const record of body.pipe(parse({ relax_column_count: false })) as AsyncIterable<string[]>) {
    if (header) {
      checkHeader({ found: record, columns, key });
      header = false;
      continue;
    }
    yield record;
  }
};

const jsonLinesRows = async function* ({ body, columns, key }: TRowSource) {
  let line = 0;
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) {
    line++;
    if (text === "") continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new ExportFileError(`${key}: line ${line} is not JSON`);
    }
    checkHeader({ found: Object.keys(row), columns, key });
    yield columns.map((column) => String(row[column]));
  }
};

const parquetRows = async function* ({ body, columns, key }: TRowSource) {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import("hyparquet");
  // Parquet is read from its footer, so it is copied to a temporary file first.
  const folder = await mkdtemp(path.join(tmpdir(), "objection-verify-"));
  try {
    const file = path.join(folder, "file.parquet");
    await pipeline(body, createWriteStream(file));
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    checkHeader({ found: metadata.schema.slice(1).map((element) => element.name), columns, key });
    const total = Number(metadata.num_rows);
    for (let start = 0; start < total; start += ROWS_PER_READ) {
      const rows = await parquetReadObjects({ file: buffer, metadata, rowStart: start, rowEnd: Math.min(total, start + ROWS_PER_READ) });
      for (const row of rows) yield columns.map((column) => String(row[column]));
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};

/** The rows of an export file as strings in column order (seq as decimal digits), whatever its format. */
export const exportFileRows = async function* ({ storage, key, format, columns }: { storage: TExportStorage; key: string; format: TExportFormat; columns: string[] }) {
  const body = await storage.get(key);
  if (!body) throw new ExportFileError(`${key} is missing`);
  if (format === "csv") yield* csvRows({ body, columns, key });
  else if (format === "jsonl") yield* jsonLinesRows({ body, columns, key });
  else yield* parquetRows({ body, columns, key });
};
