import "server-only";

import { setTimeout as sleep } from "node:timers/promises";

import { AUDIT_CHAIN_POLL_MS, CHAIN_BATCH_SIZE, chainAuditLogs } from "@/lib/audit/chain-audit-log";
import { logger } from "@/lib/logger";
import { pgPool } from "@/lib/pg";

/**
 * The worker's chainer (docs/operations.md, "Tamper-evident audit log"): rounds of a batch per
 * chain, back to back while a batch comes back full (a backlog or the backfill), else a pause of
 * `pollMs`. Every worker runs one; the chain head's row lock lets one chain at a time, the others
 * skip. A failed round (the database away) is logged and tried again after the pause. Resolves a
 * stop function that lets the round in flight finish.
 */
export const startAuditChainer = ({ pollMs = AUDIT_CHAIN_POLL_MS }: { pollMs?: number } = {}) => {
  let stopping = false;
  const stop = new AbortController();
  const loop = (async () => {
    while (!stopping) {
      const chained = await chainAuditLogs({ pool: pgPool() }).catch((error: unknown) => {
        logger().error({ event: "audit_chain_failed", error }, "chaining the audit log failed; trying again shortly");
        return null;
      });
      const full = chained !== null && Object.values(chained).some((rows) => rows === CHAIN_BATCH_SIZE);
      if (!full && !stopping) await sleep(pollMs, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  })();
  return async () => {
    stopping = true;
    stop.abort();
    await loop;
  };
};
