import "server-only";

import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import path from "node:path";

import { stringify } from "csv-stringify/sync";
import type pg from "pg";
import Cursor from "pg-cursor";

export const EXPORT_FORMATS = ["csv", "jsonl", "parquet"] as const;
export type TExportFormat = (typeof EXPORT_FORMATS)[number];

export type TExportFile = { name: string; kind: "snapshot" | "delta"; rows: number; bytes: number; sha256: string };

type TRow = { op?: string; member_external_id: string; email_hmac: string; country: string; source: string; effective_at: string };

const ROWS_PER_READ = 10_000;

const SNAPSHOT_COLUMNS = ["member_external_id", "email_hmac", "country", "source", "effective_at"];
const DELTA_COLUMNS = ["op", ...SNAPSHOT_COLUMNS];

const encode = ({ records, format, header, kind }: { records: TRow[]; format: Exclude<TExportFormat, "parquet">; header: boolean; kind: TExportFile["kind"] }) =>
  format === "csv"
    ? stringify(records, { header, columns: kind === "delta" ? DELTA_COLUMNS : SNAPSHOT_COLUMNS, record_delimiter: "\r\n" })
    : records.map((record) => `${JSON.stringify(record)}\n`).join("");

/** Reads a query through a cursor, a batch at a time, so memory stays flat; returns the row count. */
const readInBatches = async ({
  client,
  sql,
  onBatch,
  onRows,
}: {
  client: pg.PoolClient;
  sql: string;
  onBatch: (batch: TRow[], first: boolean) => Promise<void>;
  onRows?: (rows: number) => void;
}) => {
  let rows = 0;
  const cursor = client.query(new Cursor<TRow>(sql));
  try {
    for (;;) {
      const batch = await cursor.read(ROWS_PER_READ);
      await onBatch(batch, rows === 0);
      rows += batch.length;
      onRows?.(batch.length);
      if (batch.length < ROWS_PER_READ) return rows;
    }
  } finally {
    await cursor.close();
  }
};

/**
 * Streams a query's rows to `<dir>/<name>` through a cursor, so memory stays flat. Writes to a
 * temporary name and renames at the end: a file under its real name is always complete.
 * CSV goes through COPY (copyExportFile); this path serves the other formats.
 */
export const writeExportFile = async ({
  client,
  sql,
  dir,
  name,
  kind,
  format,
  onRows,
}: {
  client: pg.PoolClient;
  sql: string;
  dir: string;
  name: string;
  kind: TExportFile["kind"];
  format: Exclude<TExportFormat, "parquet">;
  onRows?: (rows: number) => void;
}): Promise<TExportFile> => {
  const finalPath = path.join(dir, name);
  const temporaryPath = `${finalPath}.partial`;
  const out = createWriteStream(temporaryPath);
  const sha256 = createHash("sha256");
  let bytes = 0;
  const write = async (chunk: string) => {
    if (chunk === "") return;
    sha256.update(chunk);
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  };

  const rows = await readInBatches({ client, sql, onRows, onBatch: (batch, first) => write(encode({ records: batch, format, kind, header: first })) });
  out.end();
  await once(out, "finish");
  await rename(temporaryPath, finalPath);
  return { name, kind, rows, bytes, sha256: sha256.digest("hex") };
};

/**
 * Parquet (hyparquet-writer, pure JS): one row group per cursor read, so memory stays flat; every
 * column is a string, like the CSV. Hashed after it is written, since the writer owns the file.
 */
export const writeParquetFile = async ({ client, sql, dir, name, kind, onRows }: Omit<Parameters<typeof writeExportFile>[0], "format">): Promise<TExportFile> => {
  const { ParquetWriter, fileWriter, schemaFromColumnData } = await import("hyparquet-writer");
  const finalPath = path.join(dir, name);
  const temporaryPath = `${finalPath}.partial`;
  const columns = kind === "delta" ? DELTA_COLUMNS : SNAPSHOT_COLUMNS;
  const columnDataOf = (batch: TRow[]) => columns.map((column) => ({ name: column, data: batch.map((row) => row[column as keyof TRow] ?? ""), type: "STRING" as const }));
  const parquet = new ParquetWriter({ writer: fileWriter(temporaryPath), schema: schemaFromColumnData({ columnData: columnDataOf([]) }) });
  const rows = await readInBatches({
    client,
    sql,
    onRows,
    onBatch: async (batch) => {
      if (batch.length > 0) parquet.write({ columnData: columnDataOf(batch), rowGroupSize: ROWS_PER_READ });
    },
  });
  parquet.finish();

  const sha256 = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(temporaryPath) as AsyncIterable<Buffer>) {
    sha256.update(chunk);
    bytes += chunk.length;
  }
  await rename(temporaryPath, finalPath);
  return { name, kind, rows, bytes, sha256: sha256.digest("hex") };
};
