import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { adminBehind, type TCampaignActor } from "@/lib/campaigns/campaign-actor";
import type { TCreateCampaign } from "@/lib/campaigns/schema";
import { db } from "@/lib/db";

/** A draft campaign; an admin's creation is audited in the same transaction. */
export const createCampaign = async ({ actor, campaign: { name, channels, countries = [] } }: { actor: TCampaignActor; campaign: TCreateCampaign }) => {
  const admin = adminBehind(actor);
  return db().$transaction(async (tx) => {
    const created = await tx.campaign.create({ data: { name, channels, countries }, select: { id: true } });
    if (admin) await recordAuditEvent(tx, { actor: admin, action: "campaign_create", target: { type: "campaign", id: created.id }, detail: { channels, countries } });
    return created;
  });
};
