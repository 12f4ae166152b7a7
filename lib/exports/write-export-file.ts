import "server-only";

import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import Cursor from "pg-cursor";

import type { TExportFileInput } from "@/lib/exports/copy-export-file";
import { DELTA_COLUMNS, SNAPSHOT_COLUMNS } from "@/lib/exports/export-run-sql";
import type { TExportFile, TExportFormat } from "@/lib/exports/export-manifest";
import { hashingCounter } from "@/lib/exports/hashing-counter";

type TRow = Record<string, string>;

const ROWS_PER_READ = 10_000;

const columnsOf = (kind: TExportFile["kind"]) => (kind === "delta" ? DELTA_COLUMNS : SNAPSHOT_COLUMNS);

/** A query's rows, a batch at a time through a cursor, so memory stays flat. */
const batchesOf = async function* ({ client, sql, onRows }: Pick<TExportFileInput, "client" | "sql" | "onRows">) {
  const cursor = client.query(new Cursor<TRow>(sql));
  try {
    for (;;) {
      const batch = await cursor.read(ROWS_PER_READ);
      if (batch.length > 0) yield batch;
      onRows?.(batch.length);
      if (batch.length < ROWS_PER_READ) return;
    }
  } finally {
    await cursor.close();
  }
};

/** JSON Lines: one object per row, keys in column order, `seq` as a number. */
export const writeJsonLinesFile = async ({ client, sql, storage, key, name, kind, onRows }: TExportFileInput): Promise<TExportFile> => {
  let rows = 0;
  const lines = async function* () {
    for await (const batch of batchesOf({ client, sql, onRows })) {
      rows += batch.length;
      yield batch.map((row) => `${JSON.stringify({ ...row, seq: Number(row.seq) })}\n`).join("");
    }
  };
  const counter = hashingCounter();
  const source = Readable.from(lines());
  await Promise.all([pipeline(source, counter.stream), storage.put({ key, body: counter.stream })]);
  return { name, kind, rows, ...counter.result() };
};

/**
 * Parquet (hyparquet-writer, pure JS): `seq` is INT64, every other column a string; one row group
 * per cursor read. The writer needs a file, so it writes to a temporary one that is then streamed
 * to storage and deleted.
 */
export const writeParquetFile = async ({ client, sql, storage, key, name, kind, onRows }: TExportFileInput): Promise<TExportFile> => {
  const { ParquetWriter, fileWriter, schemaFromColumnData } = await import("hyparquet-writer");
  const folder = await mkdtemp(path.join(tmpdir(), "objection-parquet-"));
  try {
    const temporary = path.join(folder, name);
    const columns = columnsOf(kind);
    const columnData = (batch: TRow[]) =>
      columns.map((column) =>
        column === "seq"
          ? { name: column, data: batch.map((row) => BigInt(row.seq ?? 0)), type: "INT64" as const, nullable: false }
          : { name: column, data: batch.map((row) => row[column] ?? ""), type: "STRING" as const, nullable: false },
      );
    const schema = schemaFromColumnData({ columnData: columnData([]) });
    const parquet = new ParquetWriter({ writer: fileWriter(temporary), schema });
    let rows = 0;
    for await (const batch of batchesOf({ client, sql, onRows })) {
      rows += batch.length;
      parquet.write({ columnData: columnData(batch), rowGroupSize: ROWS_PER_READ });
    }
    parquet.finish();
    const counter = hashingCounter();
    await Promise.all([pipeline(createReadStream(temporary), counter.stream), storage.put({ key, body: counter.stream })]);
    return { name, kind, rows, ...counter.result() };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};

export const writeExportFile = (file: TExportFileInput & { format: TExportFormat }) => {
  if (file.format === "parquet") return writeParquetFile(file);
  return writeJsonLinesFile(file);
};
