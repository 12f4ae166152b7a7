/*
 * How the console names who did something, in words people use: never a job's queue name or an id.
 * Pure, so the objection timeline and the audit log share it, and a test reads every case.
 */

/** The system's jobs (lib/jobs.ts QUEUES, plus the bounce listener and the export command), as the console names them. */
export const SYSTEM_JOB_WORDS: Record<string, string> = {
  "objection-receipt": "Automatic receipt email",
  "objection-link-request": "Automatic link email",
  "objection-rejection": "Automatic rejection email",
  "objection-withdrawal": "Automatic withdrawal email",
  "admin-sign-in": "Sign-in email",
  "campaign-audience": "Campaign audience builder",
  "campaign-batch": "Campaign sender",
  "campaign-failed": "Campaign failure check",
  "export-nightly": "Nightly export",
  "export-cli": "Export command",
  "dashboard-summary": "Dashboard summary",
  "bounce-reports-prune": "Routine clean-up",
  "domain-windows-prune": "Routine clean-up",
  "counters-check": "Counter check",
  "webhook-deliveries-prune": "Routine clean-up",
  "sso-recheck": "Single sign-on check",
  // Sign-ins and session checks by single sign-on act as this one actor (lib/auth/admit-sso-user.ts).
  "single-sign-on": "Single sign-on",
  "bounce-listener": "Bounce handling",
};

/** A system actor by its job's name; one not named above is "The system", never its raw name. */
export const systemActorWords = (job: string | null | undefined) => (job ? SYSTEM_JOB_WORDS[job] : undefined) ?? "The system";
