import "server-only";

import { assertPlatformOrRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";

/**
 * The earlier campaign a follow-up tells the missed members of; null when the campaign is no
 * follow-up (or does not exist). For the platform, or an admin who may read campaigns (a viewer).
 */
export const followUpOf = async ({ actor, campaignId }: { actor: TActor; campaignId: string }): Promise<{ id: string; name: string } | null> => {
  assertPlatformOrRole(actor, "viewer");
  const campaign = await db().campaign.findUnique({ where: { id: campaignId }, select: { notReachedBy: { select: { id: true, name: true } } } });
  return campaign?.notReachedBy ?? null;
};
