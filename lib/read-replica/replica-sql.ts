import "server-only";

/** How far the replica's data is behind, in seconds: 0 when nothing received waits to be replayed; null when unknown. */
export type TReplicaLagRow = { lagSeconds: number | null };

/*
 * On an idle primary, now() - pg_last_xact_replay_timestamp() grows though nothing is behind: so a
 * standby that streams from its primary and has replayed all it received is 0 behind. Otherwise
 * (WAL waiting, or no primary to receive from: a standby cut off has replayed all it received and
 * still misses what the primary wrote since) the age of the last transaction it replayed. A server not in recovery (a promoted standby, or a primary named by mistake) is
 * current. Unknown (nothing replayed since the standby started, with WAL still waiting) is null.
 */
export const REPLICA_LAG_SQL = `
  SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
      AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
    ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())
  END::float8 AS "lagSeconds"`;
