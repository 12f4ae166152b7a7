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
import { connectDirect, DIRECT_POOL_SIZE } from "@/lib/pg";

// Lines are handed to COPY in chunks of about this many characters: one write per row costs more than the copy itself.
const CHUNK_CHARS = 256 * 1024;

/**
 * A connection with its own staging table. `open` while a part's transaction is: from its COPY until its
 * commit. `merging` settles when its last part is committed (or failed).
 */
type TLane = { client?: pg.PoolClient; copy?: Writable; open: boolean; merging: Promise<void> };

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
      await current.client.query(CREATE_MEMBER_STAGING_SQL);
    }
    await current.client.query("BEGIN");
    current.open = true;
    const copy = current.client.query(copyFrom(COPY_MEMBER_STAGING_SQL));
    // A failure while no write waits on the stream (a dropped connection) is seen by the next write or the end.
    copy.on("error", () => undefined);
    current.copy = copy;
  };

  const writeChunk = async () => {
    const copy = lane().copy!;
    const text = chunk;
    chunk = "";
    if (!copy.write(text)) await once(copy, "drain");
  };

  const endPart = async () => {
    if (!rowsInPart) return;
    const current = lane();
    await writeChunk();
    const copy = current.copy!;
    copy.end();
    await finished(copy);
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
    seen = new Set();
    superseded = 0;
  };

  const stage = (line: number, member: TMemberInput) => {
    rowsInPart++;
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
          if (!current.client) return;
          if (!current.open) return current.client.release();
          if (current.copy) {
            current.copy.destroy(new Error("The import stopped"));
            await finished(current.copy).catch(() => undefined);
          }
          const rolledBack = await current.client.query("ROLLBACK").then(() => true, () => false);
          // A connection that cannot even roll back is not given back to the pool.
          current.client.release(!rolledBack);
        }),
      );
    },
  };
};
