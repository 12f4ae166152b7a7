import "server-only";

import type pg from "pg";

import {
  EVIDENCE_BOUNCES_SQL,
  EVIDENCE_OBJECTION_DAYS_SQL,
  EVIDENCE_OBJECTION_OUTCOMES_SQL,
  EVIDENCE_REJECTIONS_SQL,
  MAX_LISTED_REJECTIONS,
  type TBounceCountRow,
  type TEvidenceCampaignRow,
  type TObjectionDaysRow,
  type TObjectionOutcomeRow,
  type TRejectionRow,
} from "@/lib/evidence/evidence-sql";
import { redactAddresses } from "@/lib/mail";

const BOUNCE_KINDS = ["hard", "complaint", "rejected"] as const;

/** summary.json (docs/evidence.md): figures from the counters, and what no counter keeps, read in the pack's snapshot. */
export const readEvidenceSummary = async ({ client, campaign, notices }: { client: pg.PoolClient; campaign: TEvidenceCampaignRow; notices: number }) => {
  const bounces = (await client.query<TBounceCountRow>(EVIDENCE_BOUNCES_SQL, [campaign.id])).rows;
  const outcomes = (await client.query<TObjectionOutcomeRow>(EVIDENCE_OBJECTION_OUTCOMES_SQL, [campaign.id])).rows[0];
  const rejections = (await client.query<TRejectionRow>(EVIDENCE_REJECTIONS_SQL, [campaign.id])).rows;
  const campaignDays = campaign.launchedAt ? { from: campaign.launchedAt.slice(0, 10), to: (campaign.completedAt ?? campaign.snapshotAt).slice(0, 10) } : null;
  const allSources = campaignDays ? (await client.query<TObjectionDaysRow>(EVIDENCE_OBJECTION_DAYS_SQL, [campaignDays.from, campaignDays.to])).rows[0] : null;
  const count = (value: string | undefined) => Number(value ?? 0);
  const byKind = new Map(bounces.map((row) => [row.kind, count(row.count)]));
  const rejected = count(outcomes?.rejected);
  return {
    campaign: {
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      channels: campaign.channels,
      countries: campaign.countries,
      createdAt: campaign.createdAt,
      launchedAt: campaign.launchedAt,
      completedAt: campaign.completedAt,
    },
    snapshotAt: campaign.snapshotAt,
    /** Rows of notices.csv. */
    notices,
    audience: campaign.total,
    /** Members reached on at least one channel (an email accepted and not bounced, an in-app notice seen), each once. */
    reached: count(campaign.reached),
    emails: { queued: count(campaign.queued), sent: count(campaign.sent), failed: count(campaign.failed), skipped: count(campaign.skipped) },
    seen: count(campaign.seen),
    clicked: count(campaign.clicked),
    bounces: Object.fromEntries(BOUNCE_KINDS.map((kind) => [kind, byKind.get(kind) ?? 0])),
    objections: {
      /** Made through one of the campaign's notices (CampaignCounter.objected), whatever became of them. */
      throughNotices: count(campaign.objected),
      withdrawn: count(outcomes?.withdrawn),
      rejected,
      /** Objections from every source whose effective day (UTC) falls on a day the campaign ran, launch to completion or now. */
      allSourcesOnCampaignDays: campaignDays && allSources ? { ...campaignDays, count: count(allSources.count) } : null,
    },
    // Reasons are the reviewers' words; an address typed into one is taken out all the same.
    rejections: rejections.map((row) => ({ objectionId: row.objectionId, rejectedAt: row.rejectedAt, reason: row.reason === null ? null : redactAddresses(row.reason) })),
    rejectionsListed: rejections.length < rejected ? `the first ${MAX_LISTED_REJECTIONS} of ${rejected}` : "all",
  };
};
