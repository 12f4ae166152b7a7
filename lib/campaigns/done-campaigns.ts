import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";

/** How many finished campaigns the new-campaign form offers to follow up: the recent ones are those worth it. */
export const FOLLOW_UP_CHOICES = 50;

/** Finished campaigns, most recently finished first: those a follow-up can name, their reach being known. */
export const doneCampaigns = async ({ actor, limit = FOLLOW_UP_CHOICES }: { actor: TActor; limit?: number }) => {
  assertRole(actor, "admin");
  return db().campaign.findMany({
    where: { status: "done" },
    orderBy: [{ completedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: limit,
    select: { id: true, name: true, completedAt: true },
  });
};
