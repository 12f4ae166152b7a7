import "server-only";

import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";

import type { TExportFile } from "@/lib/exports/export-manifest";
import type { TExportStorage } from "@/lib/exports/export-storage";
import { hashingCounter } from "@/lib/exports/hashing-counter";

/** What each writer of an export file is given: the query, where the file goes, its name and kind; `onRows` hears of rows as they are written. */
export type TExportFileInput = {
  client: pg.PoolClient;
  sql: string;
  storage: TExportStorage;
  key: string;
  name: string;
  kind: TExportFile["kind"];
  onRows?: (rows: number) => void;
};

/** Ends lines with CRLF as RFC 4180 asks (PostgreSQL writes LF), on bytes, and counts lines. */
const crlfLines = (onLines: (lines: number) => void) =>
  new Transform({
    transform: (chunk: Buffer, _encoding, callback) => {
      const breaks: number[] = [];
      for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) breaks.push(at);
      const out = Buffer.allocUnsafe(chunk.length + breaks.length);
      let from = 0;
      let to = 0;
      for (const at of breaks) {
        to += chunk.copy(out, to, from, at);
        out[to++] = 0x0d;
        out[to++] = 0x0a;
        from = at + 1;
      }
      chunk.copy(out, to, from);
      onLines(breaks.length);
      callback(null, out);
    },
  });

/**
 * Writes a CSV export file with COPY … TO STDOUT: PostgreSQL formats the rows, Node only counts,
 * hashes and streams bytes to storage, so it runs near the speed of `psql \\copy` with flat
 * memory. No exported value holds a line break, so lines are rows.
 */
export const copyExportFile = async ({ client, sql, storage, key, name, kind, onRows }: TExportFileInput): Promise<TExportFile> => {
  let lines = 0;
  const counter = hashingCounter();
  const crlf = crlfLines((count) => {
    lines += count;
    onRows?.(count);
  });
  const source = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER)`));
  const stored = storage.put({ key, body: counter.stream }).catch((error: unknown) => {
    // A storage that stops taking bytes must stop the COPY too, or the connection stays busy.
    source.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  });
  await Promise.all([pipeline(source, crlf, counter.stream), stored]);
  return { name, kind, rows: Math.max(0, lines - 1), ...counter.result() };
};
