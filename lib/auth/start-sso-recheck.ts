import "server-only";

import type PgBoss from "pg-boss";

import { recheckSsoSessions } from "@/lib/auth/recheck-sso-sessions";
import { env } from "@/lib/env";
import { QUEUES } from "@/lib/jobs";
import { logger } from "@/lib/logger";

/** Every minute: a session is checked soon after it is due, within ADMIN_SSO_RECHECK_MINUTES of the last check (lib/auth/sso-check-interval.ts). */
export const SSO_RECHECK_CRON = "* * * * *";

/**
 * The worker's part in single sign-on: check due sessions with the provider, every minute, one run
 * at a time cluster-wide. Without ADMIN_OIDC_ISSUER there is nothing to ask, and the schedule is
 * removed, so no job waits for a handler no worker registers.
 */
export const startSsoRecheck = async (boss: PgBoss) => {
  if (!env().ADMIN_OIDC_ISSUER) {
    await boss.unschedule(QUEUES.ssoRecheck.name);
    return false;
  }
  await boss.schedule(QUEUES.ssoRecheck.name, SSO_RECHECK_CRON, {}, { tz: "UTC" });
  await boss.work(QUEUES.ssoRecheck.name, { pollingIntervalSeconds: 1 }, async () => {
    const tally = await recheckSsoSessions();
    if (tally.ended || tally.role_changed || tally.deferred) logger().info({ event: "sso_recheck", ...tally }, "single sign-on sessions checked");
  });
  return true;
};
