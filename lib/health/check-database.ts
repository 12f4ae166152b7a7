import "server-only";

import { PING_SQL } from "@/lib/health/health-sql";
import { pgPool } from "@/lib/pg";

const TIMEOUT_MS = 2_000;

/** True when the database answers a trivial query within two seconds. */
export const isDatabaseUp = async () => {
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
