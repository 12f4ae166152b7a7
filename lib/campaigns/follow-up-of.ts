import "server-only";

import { db } from "@/lib/db";

/** The earlier campaign a follow-up tells the missed members of; null when the campaign is no follow-up (or does not exist). */
export const followUpOf = async (campaignId: string): Promise<{ id: string; name: string } | null> => {
  const campaign = await db().campaign.findUnique({ where: { id: campaignId }, select: { notReachedBy: { select: { id: true, name: true } } } });
  return campaign?.notReachedBy ?? null;
};
