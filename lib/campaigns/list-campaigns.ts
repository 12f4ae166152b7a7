import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { campaignStats, type TCampaignStats } from "@/lib/campaigns/campaign-stats";
import { ZCampaignId } from "@/lib/campaigns/schema";
import { db } from "@/lib/db";
import { decodeTimeIdCursor, encodeTimeIdCursor } from "@/lib/pagination/time-id-cursor";

export const CAMPAIGNS_PAGE_SIZE = 25;

const SUMMARY = { id: true, name: true, channels: true, countries: true, status: true, failureReason: true, total: true, createdAt: true, launchedAt: true, completedAt: true, onlyNotYetReached: true } as const;


/** Campaigns, newest (or oldest) first, a page at a time (keyset on createdAt, id). */
export const listCampaigns = async ({ actor, after, dir = "desc", limit = CAMPAIGNS_PAGE_SIZE }: { actor: TActor; after?: string; dir?: "asc" | "desc"; limit?: number }) => {
  assertRole(actor, "viewer");
  const cursor = decodeTimeIdCursor(after, { id: "uuid" });
  const beyond = dir === "asc" ? "gt" : "lt";
  const rows = await db().campaign.findMany({
    where: cursor ? { OR: [{ createdAt: { [beyond]: cursor.at } }, { createdAt: cursor.at, id: { [beyond]: cursor.id } }] } : undefined,
    orderBy: [{ createdAt: dir }, { id: dir }],
    take: limit + 1,
    select: SUMMARY,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { campaigns: page, nextCursor: rows.length > limit && last ? encodeTimeIdCursor({ at: last.createdAt, id: last.id }) : null };
};

export type TCampaignSummary = Awaited<ReturnType<typeof listCampaigns>>["campaigns"][number];

/** One campaign with its live counts, for the campaign's page and its progress route. */
export const campaignWithStats = async ({ actor, campaignId }: { actor: TActor; campaignId: string }): Promise<TCampaignSummary & { stats: TCampaignStats }> => {
  assertRole(actor, "viewer");
  const id = ZCampaignId.safeParse(campaignId);
  const campaign = id.success ? await db().campaign.findUnique({ where: { id: id.data }, select: SUMMARY }) : null;
  const stats = campaign ? await campaignStats(campaign.id) : null;
  if (!campaign || !stats) throw campaignNotFound();
  return { ...campaign, stats };
};
