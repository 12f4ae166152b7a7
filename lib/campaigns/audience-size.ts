import "server-only";

import type { TActor } from "@/lib/auth/actor";
import { audiencePreview } from "@/lib/campaigns/audience-preview";

/**
 * How many members a campaign to these countries would reach if launched now: the audience job's
 * own rule, counted instead of inserted. No countries means every EEA country, as at launch.
 * Null when counting took longer than a preview should (the launch still computes it exactly).
 * With `notReachedBy` (an earlier campaign), a follow-up's: only the members it did not reach.
 * The count of lib/campaigns/audience-preview.ts, which also says how many an earlier campaign
 * reached. For the admins who create and launch campaigns: a count can scan every member.
 */
export const audienceSize = async ({ actor, countries, notReachedBy, at }: { actor: TActor; countries: readonly string[]; notReachedBy?: string | null; at?: Date }): Promise<number | null> =>
  (await audiencePreview({ actor, countries, notReachedBy, at })).count;
