import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { pgPool } from "@/lib/pg";

// Two hours, not one: a window is read while it is within the last hour, and the clocks of the
// writers and this job need not agree to the minute. The table then holds about two hours of
// (campaign, domain) windows, whatever the size of the member table.
const PRUNE_SQL = `DELETE FROM "CampaignDomainWindow" WHERE "windowStart" < now() - interval '2 hours'`;

/** Deletes the per-domain send and rejection counts that no pause decision reads any more. Run by its hourly job. */
export const pruneDomainWindows = async ({ actor }: { actor: TActor }) => {
  assertActorKind(actor, "system");
  return (await pgPool().query(PRUNE_SQL)).rowCount ?? 0;
};
