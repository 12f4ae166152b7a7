import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { campaignStats, type TCampaignStats } from "@/lib/campaigns/campaign-stats";
import { ZCampaignId } from "@/lib/campaigns/schema";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { readOnReplica } from "@/lib/read-replica/read-on-replica";
import { decodeTimeIdCursor, encodeTimeIdCursor } from "@/lib/pagination/time-id-cursor";

export const CAMPAIGNS_PAGE_SIZE = 25;

const SUMMARY = { id: true, name: true, channels: true, countries: true, status: true, failureReason: true, total: true, createdAt: true, launchedAt: true, completedAt: true, onlyNotYetReached: true } as const;


/** The list's filters, from the dashboard's "Needs attention": paused or failed campaigns, or those holding back a domain. */
export const CAMPAIGN_LIST_FILTERS = ["attention", "domains_paused"] as const;
export type TCampaignListFilter = (typeof CAMPAIGN_LIST_FILTERS)[number];

const FILTER_WHERE: Record<TCampaignListFilter, Prisma.CampaignWhereInput> = {
  attention: { status: { in: ["paused", "failed"] } },
  domains_paused: { status: { not: "done" }, domainPauses: { some: {} } },
};

/** Campaigns, newest (or oldest) first, a page at a time (keyset on createdAt, id), optionally only those a filter names; from the replica unless `primary`. */
export const listCampaigns = async ({
  actor,
  after,
  dir = "desc",
  limit = CAMPAIGNS_PAGE_SIZE,
  filter,
  primary,
}: {
  actor: TActor;
  after?: string;
  dir?: "asc" | "desc";
  limit?: number;
  filter?: TCampaignListFilter;
  primary?: boolean;
}) => {
  assertRole(actor, "viewer");
  const cursor = decodeTimeIdCursor(after, { id: "uuid" });
  const beyond = dir === "asc" ? "gt" : "lt";
  const keyset: Prisma.CampaignWhereInput[] = cursor ? [{ OR: [{ createdAt: { [beyond]: cursor.at } }, { createdAt: cursor.at, id: { [beyond]: cursor.id } }] }] : [];
  const rows = await readOnReplica(
    ({ db: reader }) =>
      reader.campaign.findMany({
        where: { AND: [...keyset, ...(filter ? [FILTER_WHERE[filter]] : [])] },
        orderBy: [{ createdAt: dir }, { id: dir }],
        take: limit + 1,
        select: SUMMARY,
      }),
    { primary },
  );
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
