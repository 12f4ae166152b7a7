import "server-only";

import { AdminError, assertRole } from "@/lib/auth/admin-error";
import type { TAdminActor } from "@/lib/auth/roles";
import { campaignStats, type TCampaignStats } from "@/lib/campaigns/campaign-stats";
import { ZCampaignId } from "@/lib/campaigns/schema";
import { db } from "@/lib/db";

export const CAMPAIGNS_PAGE_SIZE = 25;

const SUMMARY = { id: true, name: true, channels: true, countries: true, status: true, total: true, createdAt: true, launchedAt: true, completedAt: true } as const;

const encodeCursor = (row: { createdAt: Date; id: string }) => `${row.createdAt.toISOString()}_${row.id}`;

const decodeCursor = (cursor: string | undefined) => {
  const match = cursor ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f-]{36})$/.exec(cursor) : null;
  return match ? { createdAt: new Date(match[1]!), id: match[2]! } : null;
};

/** Campaigns, newest first, a page at a time (keyset on createdAt, id). */
export const listCampaigns = async ({ actor, after, limit = CAMPAIGNS_PAGE_SIZE }: { actor: TAdminActor; after?: string; limit?: number }) => {
  assertRole(actor, "viewer");
  const cursor = decodeCursor(after);
  const rows = await db().campaign.findMany({
    where: cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : undefined,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: SUMMARY,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { campaigns: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
};

export type TCampaignSummary = Awaited<ReturnType<typeof listCampaigns>>["campaigns"][number];

/** One campaign with its live counts, for the campaign's page and its progress route. */
export const campaignWithStats = async ({ actor, campaignId }: { actor: TAdminActor; campaignId: string }): Promise<TCampaignSummary & { stats: TCampaignStats }> => {
  assertRole(actor, "viewer");
  const id = ZCampaignId.safeParse(campaignId);
  const campaign = id.success ? await db().campaign.findUnique({ where: { id: id.data }, select: SUMMARY }) : null;
  const stats = campaign ? await campaignStats(campaign.id) : null;
  if (!campaign || !stats) throw new AdminError("not_found", "No campaign has this id.");
  return { ...campaign, stats };
};
