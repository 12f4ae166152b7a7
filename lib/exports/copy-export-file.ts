import "server-only";

import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";

import type { TExportFile } from "@/lib/exports/write-export-file";

/**
 * Writes a CSV export with COPY … TO STDOUT: PostgreSQL formats (and hashes) the rows, Node only
 * counts, hashes and writes bytes, so it runs at the speed of `psql \\copy` with flat memory.
 * PostgreSQL ends lines with LF; RFC 4180 asks for CRLF. No exported value holds a line break.
 */
export const copyExportFile = async ({
  client,
  sql,
  dir,
  name,
  kind,
  onRows,
}: {
  client: pg.PoolClient;
  sql: string;
  dir: string;
  name: string;
  kind: TExportFile["kind"];
  onRows?: (rows: number) => void;
}): Promise<TExportFile> => {
  const finalPath = path.join(dir, name);
  const temporaryPath = `${finalPath}.partial`;
  const sha256 = createHash("sha256");
  let lines = 0;
  let bytes = 0;
  // Works on bytes, not text, so a character split across chunks stays whole.
  const crlf = new Transform({
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
      lines += breaks.length;
      onRows?.(breaks.length);
      sha256.update(out);
      bytes += out.length;
      callback(null, out);
    },
  });
  await pipeline(client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER)`)), crlf, createWriteStream(temporaryPath));
  await rename(temporaryPath, finalPath);
  return { name, kind, rows: Math.max(0, lines - 1), bytes, sha256: sha256.digest("hex") };
};
