import "server-only";

import type pg from "pg";

import { db } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isDatabaseUnreachable, pgPool } from "@/lib/pg";
import { readSide } from "@/lib/read-replica/read-pool";
import { markReplicaUnreachable, replicaState } from "@/lib/read-replica/replica-health";

/** Where a read runs: the raw SQL pool and the Prisma client of the same server. */
export type TReadSource = { pool: pg.Pool; db: PrismaClient };

// A hot standby cancels a query whose rows replay is about to remove ("conflict with recovery").
const RECOVERY_CONFLICT = "40001";

/**
 * Whether a failure, or one it wraps (Prisma's driver adapter keeps pg's), is the replica's rather
 * than the read's: "unreachable" (no connection, or it dropped), "conflict" (replay cancelled the
 * query), or null for a fault in the read itself.
 */
const replicaFailure = (error: unknown): "unreachable" | "conflict" | null => {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Object; depth++) {
    const { code, originalCode, message, cause, meta } = current as { code?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (isDatabaseUnreachable(current) || (typeof message === "string" && /timeout exceeded when trying to connect/.test(message))) return "unreachable";
    if (code === RECOVERY_CONFLICT || originalCode === RECOVERY_CONFLICT) return "conflict";
    current = cause ?? meta?.driverAdapterError;
  }
  return null;
};

/**
 * Runs a read that may be a little behind (the console's lists and dashboard, the notices API,
 * metrics) on DATABASE_READ_URL's replica when it is set, reachable and at most
 * READ_REPLICA_MAX_LAG_SECONDS behind; else on the primary. A read the replica fails for want of a
 * connection runs again on the primary, and reads keep going there until the next check finds the
 * replica back. `primary`: the reader must see the primary's state, e.g. what an admin has just
 * changed (lib/read-replica/console-change.ts). Never for a read that feeds a write, nor the export.
 */
export const readOnReplica = async <T>(read: (source: TReadSource) => Promise<T>, { primary = false }: { primary?: boolean } = {}): Promise<T> => {
  const replica = primary ? null : readSide();
  const onPrimary = () => read({ pool: pgPool(), db: db() });
  if (!replica || !(await replicaState()).usable) return onPrimary();
  try {
    return await read(replica);
  } catch (error) {
    const failure = replicaFailure(error);
    if (!failure) throw error;
    if (failure === "unreachable") markReplicaUnreachable(error);
    return onPrimary();
  }
};
