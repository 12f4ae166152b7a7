/**
 * How far the worker's check may run behind a session's due time: the `sso-recheck` cron fires
 * each minute, pg-boss sends a cron job up to 30 s after its minute (cronMonitorIntervalSeconds),
 * and a run takes at most 45 s (RUN_BUDGET_MS). Two minutes cover the sum.
 */
export const SSO_CHECK_LEAD_MINUTES = 2;

/**
 * Minutes from sign-in or a check to the next check: due early by the lead, so that a session
 * is checked within ADMIN_SSO_RECHECK_MINUTES of the last, not up to a couple of minutes after.
 * At least a minute apart, so one run never claims the same session twice.
 */
export const ssoCheckIntervalMinutes = (recheckMinutes: number) => Math.max(recheckMinutes - SSO_CHECK_LEAD_MINUTES, 1);
