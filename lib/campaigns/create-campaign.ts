import "server-only";

import type { TCreateCampaign } from "@/lib/campaigns/schema";
import { db } from "@/lib/db";

export const createCampaign = async ({ name, channels, countries = [] }: TCreateCampaign) => {
  const campaign = await db().campaign.create({ data: { name, channels, countries }, select: { id: true } });
  return campaign;
};
