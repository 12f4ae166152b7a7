import "server-only";

import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";

import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

import {
  COPY_MEMBER_STAGING_SQL,
  CREATE_MEMBER_STAGING_SQL,
  MERGE_STAGED_MEMBERS_LAST_WINS_SQL,
  MERGE_STAGED_MEMBERS_SQL,
  type TMergedPartRow,
  toStagingLine,
} from "@/lib/members/member-import-sql";
import type { TMemberInput } from "@/lib/members/schema";
import { AppError } from "@/lib/errors/app-error";
import { connectDirect, DIRECT_POOL_SIZE, isDatabaseUnreachable } from "@/lib/pg";

const ignoreClientError = () => undefined;

// Lines are handed to COPY in chunks of about this many characters: one write per row costs more than the copy itself.
const CHUNK_CHARS = 256 * 1024;

/**
 * A connection with its own staging table. `open` while a part's transaction is: from its COPY until its
 * commit. `merging` settles when its last part is committed (or failed). `copyError`: why the part's COPY
 * failed (the server refused a row, the connection dropped), once it has.
 */
type TLane = { client?: pg.PoolClient; copy?: Writable; copyError?: Error; open: boolean; merging: Promise<void> };

/**
 * A failed COPY in the import's words. For a value it refuses (SQLSTATE classes 22 and 23), PostgreSQL
 * says which of the part's rows holds it (the error's `where`, whose value is not repeated here: it may be
 * an email address); `lines` maps them to the file. Any other error (a timeout, a fault of ours) as it is.
 */
const copyFailure = ({ error, lines }: { error: Error; lines: number[] }) => {
  if (isDatabaseUnreachable(error)) return new AppError("unavailable", { message: `The connection to the database was lost while a part was copied (${error.message})` });
  const { code, where } = error as { code?: string; where?: string };
  if (!code || !/^2[23]/.test(code)) return error;
  const row = /^COPY \S+, line (\d+)/.exec(where ?? "")?.[1];
  const line = row ? lines[Number(row) - 1] : undefined;
  return new AppError("invalid", { message: `The database refused ${line ? `line ${line}` : `a row of the part from line ${lines[0]}`}: ${error.message}` });
};

/**
 * Writes an import's valid rows in parts of `partSize`: each part is copied into a temporary staging
 * table and merged into "Member" in one transaction, committed before the next part merges. So a
 * failure keeps every part before it, and as the merge is an upsert, running the import again is safe.
 * Two connections take turns, so one part is copied while the one before it merges; parts still merge
 * one at a time, in the file's order.
 */
export const createMemberPartWriter = ({ partSize }: { partSize: number }) => {
  const lanes: TLane[] = Array.from({ length: DIRECT_POOL_SIZE }, () => ({ open: false, merging: Promise.resolve() }));
  let partNumber = 0;
  let rowsInPart = 0;
  let chunk = "";
  // The part's externalIds, to know whether it repeats one (`superseded` counts the repeats).
  let seen = new Set<string>();
  let superseded = 0;
  // The file's line of each of the part's rows, to say which one a failed COPY refused.
  let lines: number[] = [];
  let created = 0;
  let updated = 0;
  let lastMerge: Promise<void> = Promise.resolve();

  const lane = () => lanes[partNumber % lanes.length]!;

  const startPart = async (current: TLane) => {
    // This connection's previous part must be committed before it takes the next; a failure surfaces here.
    await current.merging;
    if (!current.client) {
      // A session on PostgreSQL itself: its staging table lives across the parts' transactions.
      current.client = await connectDirect();
      // A connection that drops emits an error on its client: the statement in progress reports it.
      current.client.on("error", ignoreClientError);
      await current.client.query(CREATE_MEMBER_STAGING_SQL);
    }
    await current.client.query("BEGIN");
    current.open = true;
    const copy = current.client.query(copyFrom(COPY_MEMBER_STAGING_SQL));
    // A failure while no write waits on the stream is kept, for the next write or the end to throw.
    current.copyError = undefined;
    copy.on("error", (error: Error) => (current.copyError ??= error));
    current.copy = copy;
  };

  /**
   * Throws why the part's COPY failed, if it has. pg-copy-streams lets go of its connection then: a
   * write would throw a TypeError that hides the cause, and a write already queued never drains.
   */
  const throwIfCopyFailed = (current: TLane) => {
    if (current.copyError) throw copyFailure({ error: current.copyError, lines });
  };

  const writeChunk = async () => {
    const current = lane();
    const copy = current.copy!;
    const text = chunk;
    chunk = "";
    throwIfCopyFailed(current);
    // `once` rejects if the stream fails while the write waits.
    if (!copy.write(text)) await once(copy, "drain").catch((error: Error) => Promise.reject(copyFailure({ error, lines })));
  };

  const endPart = async () => {
    if (!rowsInPart) return;
    const current = lane();
    await writeChunk();
    const copy = current.copy!;
    throwIfCopyFailed(current);
    copy.end();
    await finished(copy).catch((error: Error) => Promise.reject(copyFailure({ error, lines })));
    current.copy = undefined;
    const client = current.client!;
    const sql = superseded ? MERGE_STAGED_MEMBERS_LAST_WINS_SQL : MERGE_STAGED_MEMBERS_SQL;
    const repeats = superseded;
    const previous = lastMerge;
    lastMerge = current.merging = (async () => {
      await previous;
      const { rows } = await client.query<TMergedPartRow>(sql);
      await client.query("COMMIT");
      current.open = false;
      const [merged] = rows;
      created += merged?.created ?? 0;
      // Each row replaced by a later one with the same externalId adds an update: read one by one, the later
      // row would have updated the earlier one. So the counts do not depend on where the parts split.
      updated += (merged?.merged ?? 0) - (merged?.created ?? 0) + repeats;
    })();
    // Not awaited here, so the next part is read and copied meanwhile: its failure surfaces when the next part on
    // this connection starts, or at the end. Handled, so Node does not end the process over it in between.
    current.merging.catch(() => undefined);
    partNumber++;
    rowsInPart = 0;
    lines = [];
    seen = new Set();
    superseded = 0;
  };

  const stage = (line: number, member: TMemberInput) => {
    rowsInPart++;
    lines.push(line);
    if (seen.has(member.externalId)) superseded++;
    else seen.add(member.externalId);
    chunk += toStagingLine(line, member);
  };

  const addWaiting = async (line: number, member: TMemberInput) => {
    if (!rowsInPart) await startPart(lane());
    if (chunk.length >= CHUNK_CHARS) await writeChunk();
    stage(line, member);
    if (rowsInPart >= partSize) await endPart();
  };

  return {
    /**
     * Adds a validated row, `line` being its line in the file. Returns a promise only when the row has to
     * wait (a part starting or ending, a full COPY buffer): an await per row would cost more than the row.
     */
    add: (line: number, member: TMemberInput): Promise<void> | undefined => {
      if (!rowsInPart || chunk.length >= CHUNK_CHARS || rowsInPart + 1 >= partSize) return addWaiting(line, member);
      stage(line, member);
      return undefined;
    },
    /** Merges the last part and waits for every part to be committed; returns the counts. */
    finish: async () => {
      await endPart();
      await lastMerge;
      return { created, updated };
    },
    /** Gives the connections back: after a failure, rolls back the part in progress (its COPY too) first. */
    close: async () => {
      await Promise.all(
        lanes.map(async (current) => {
          await current.merging.catch(() => undefined);
          const { client } = current;
          if (!client) return;
          const giveBack = () => {
            client.off("error", ignoreClientError);
            client.release();
          };
          if (!current.open) return giveBack();
          // A COPY that failed has ended already: pg-copy-streams cannot cancel it again.
          if (current.copy && !current.copyError) {
            current.copy.destroy(new Error("The import stopped"));
            await finished(current.copy).catch(() => undefined);
          }
          const rolledBack = await client.query("ROLLBACK").then(() => true, () => false);
          if (rolledBack) return giveBack();
          // A connection that cannot even roll back is not given back to the pool. It keeps the listener: its
          // socket may still report the drop after this.
          client.release(true);
        }),
      );
    },
  };
};
