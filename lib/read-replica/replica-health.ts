import "server-only";

import type pg from "pg";

import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { readSide, REPLICA_TIMEOUT_MS } from "@/lib/read-replica/read-pool";
import { REPLICA_LAG_SQL, type TReplicaLagRow } from "@/lib/read-replica/replica-sql";

/** How long a process trusts what it last learnt of the replica before it asks again. */
export const REPLICA_CHECK_INTERVAL_MS = 1000;

export type TReplicaState = { usable: true } | { usable: false; reason: "unreachable" | "lagging"; lagSeconds?: number };

type THealth = { state: TReplicaState | null; checkedAt: number; checking: Promise<TReplicaState> | null };

const globalForHealth = globalThis as unknown as { replicaHealth?: THealth };

const health = (): THealth => (globalForHealth.replicaHealth ??= { state: null, checkedAt: 0, checking: null });

/** Whether a replica `lagSeconds` behind (null: unknown) may serve reads. */
const lagState = (lagSeconds: number | null, maxLagSeconds: number): TReplicaState =>
  lagSeconds !== null && lagSeconds <= maxLagSeconds ? { usable: true } : { usable: false, reason: "lagging", ...(lagSeconds === null ? {} : { lagSeconds: Math.round(lagSeconds) }) };

const where = (state: TReplicaState | null) => (state === null ? null : state.usable ? "replica" : `primary (${state.reason})`);

/** Records what was learnt; logs only a change, so a replica that stays down is one line, not one a request. */
const record = (state: TReplicaState, error?: unknown) => {
  const current = health();
  const changed = where(current.state) !== where(state);
  current.state = state;
  current.checkedAt = Date.now();
  if (!changed) return state;
  if (state.usable) logger().info({ event: "read_replica_in_use" }, "reads go to the replica");
  else logger().warn({ event: "read_replica_not_used", reason: state.reason, lagSeconds: state.lagSeconds, error }, "reads go to the primary");
  return state;
};

const check = async (): Promise<TReplicaState> => {
  const side = readSide();
  if (!side) return { usable: false, reason: "unreachable" };
  try {
    const client = await side.pool.connect();
    try {
      // pg honours a query's own query_timeout (its types only know the client-wide one).
      const { rows } = await client.query<TReplicaLagRow>({ text: REPLICA_LAG_SQL, query_timeout: REPLICA_TIMEOUT_MS } as pg.QueryConfig);
      client.release();
      return record(lagState(rows[0]?.lagSeconds ?? null, env().READ_REPLICA_MAX_LAG_SECONDS));
    } catch (error) {
      // A connection that timed out may still be busy: closed rather than handed to the next read.
      client.release(error as Error);
      throw error;
    }
  } catch (error) {
    return record({ usable: false, reason: "unreachable" }, error);
  }
};

/**
 * What the process knows of the replica, asked again at most every REPLICA_CHECK_INTERVAL_MS: one
 * query at a time, however many reads wait for it, each bounded by REPLICA_TIMEOUT_MS (a replica
 * that is down refuses at once; one that hangs is given up on).
 */
export const replicaState = async (): Promise<TReplicaState> => {
  const current = health();
  if (current.state && Date.now() - current.checkedAt < REPLICA_CHECK_INTERVAL_MS) return current.state;
  current.checking ??= check().finally(() => {
    current.checking = null;
  });
  return current.checking;
};

/** A read on the replica lost its connection: reads go to the primary until the next check finds it back. */
export const markReplicaUnreachable = (error: unknown) => record({ usable: false, reason: "unreachable" }, error);
