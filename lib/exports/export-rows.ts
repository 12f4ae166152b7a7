import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import Papa from "papaparse";

import { AppError } from "@/lib/errors/app-error";
import type { TExportFormat } from "@/lib/exports/export-manifest";
import type { TExportStorage } from "@/lib/exports/export-storage";

/** A file of a run that cannot be read as its format says (wrong columns, not CSV or JSON, missing): the verifier reports it as a problem. */
const exportFileError = (message: string) => new AppError("invalid_file", { message });

const ROWS_PER_READ = 10_000;

type TRowSource = { body: Readable; columns: string[]; key: string };

const checkHeader = ({ found, columns, key }: { found: string[]; columns: string[]; key: string }) => {
  if (found.join(",") !== columns.join(",")) throw exportFileError(`${key}: the columns are ${found.join(", ")}, not ${columns.join(", ")}`);
};

/**
 * CSV through Papa Parse, a parsed chunk at a time: the parser is paused while a chunk is being
 * used, so memory holds one chunk, and rows cost no promise each.
 */
const csvBatches = async function* ({ body, columns, key }: TRowSource) {
  const ready: string[][][] = [];
  let finished = false;
  let failure: Error | null = null;
  let parser: Papa.Parser | null = null;
  let wake: (() => void) | null = null;
  const signal = () => wake?.();
  Papa.parse<string[]>(body, {
    newline: "\r\n",
    skipEmptyLines: true,
    chunk: (results, chunkParser) => {
      parser = chunkParser;
      if (results.errors[0]) failure = exportFileError(`${key}: row ${results.errors[0].row ?? "?"} is not valid CSV (${results.errors[0].message})`);
      ready.push(results.data);
      chunkParser.pause();
      signal();
    },
    complete: () => {
      finished = true;
      signal();
    },
    error: (error) => {
      failure = exportFileError(`${key}: ${error.message}`);
      signal();
    },
  });
  let header = true;
  for (;;) {
    const batch = ready.shift();
    if (batch) {
      if (header && batch.length > 0) {
        checkHeader({ found: batch.shift()!, columns, key });
        header = false;
      }
      yield batch;
      (parser as Papa.Parser | null)?.resume();
      continue;
    }
    if (failure) throw failure;
    if (finished) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
};

const jsonLinesBatches = async function* ({ body, columns, key }: TRowSource) {
  let line = 0;
  let batch: string[][] = [];
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) {
    line++;
    if (text === "") continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw exportFileError(`${key}: line ${line} is not JSON`);
    }
    checkHeader({ found: Object.keys(row), columns, key });
    batch.push(columns.map((column) => String(row[column])));
    if (batch.length === ROWS_PER_READ) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
};

const parquetBatches = async function* ({ body, columns, key }: TRowSource) {
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
      yield rows.map((row) => columns.map((column) => String(row[column])));
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};

/**
 * The rows of an export file as strings in column order (seq as decimal digits), whatever its
 * format, in batches: a batch is used synchronously, so millions of rows cost no promise each.
 */
export const exportFileBatches = async function* ({ storage, key, format, columns }: { storage: TExportStorage; key: string; format: TExportFormat; columns: string[] }) {
  const body = await storage.get(key);
  if (!body) throw exportFileError(`${key} is missing`);
  if (format === "csv") yield* csvBatches({ body, columns, key });
  else if (format === "jsonl") yield* jsonLinesBatches({ body, columns, key });
  else yield* parquetBatches({ body, columns, key });
};

/** Reads rows one at a time from batches, for walking two files side by side. */
export const rowReader = (batches: AsyncIterable<string[][]>) => {
  const iterator = batches[Symbol.asyncIterator]();
  let batch: string[][] = [];
  let index = 0;
  return {
    next: async (): Promise<string[] | null> => {
      while (index >= batch.length) {
        const result = await iterator.next();
        if (result.done) return null;
        batch = result.value;
        index = 0;
      }
      return batch[index++]!;
    },
  };
};
