import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";

/** More than this many paused domains in one campaign is an incident the page summarises, not lists. */
export const DOMAIN_PAUSES_SHOWN = 50;

/** The recipient domains a campaign holds back for their policy rejections, newest first, and why. */
export const listDomainPauses = async ({ actor, campaignId }: { actor: TActor; campaignId: string }) => {
  assertRole(actor, "viewer");
  const [pauses, total] = await Promise.all([
    db().campaignDomainPause.findMany({ where: { campaignId }, orderBy: { pausedAt: "desc" }, take: DOMAIN_PAUSES_SHOWN }),
    db().campaignDomainPause.count({ where: { campaignId } }),
  ]);
  return { pauses, total };
};

export type TDomainPauses = Awaited<ReturnType<typeof listDomainPauses>>;
