import "server-only";

import { PING_SQL } from "@/lib/health/health-sql";
import { lastAnsweredAt, pgPool } from "@/lib/pg";

const TIMEOUT_MS = 2_000;

/**
 * True when the database answered one of this process's statements within the last two seconds,
 * or else answers a trivial query within two seconds. An instance whose pool is busy does not send
 * its check to wait behind the statements it serves: a load balancer would take it out for being
 * busy, and with two instances, one of them restarting, that leaves none.
 */
export const isDatabaseUp = async () => {
  if (Date.now() - lastAnsweredAt() < TIMEOUT_MS) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), TIMEOUT_MS);
  });
  try {
    return await Promise.race([pgPool().query(PING_SQL).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
};
