import "server-only";

import type pg from "pg";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { ATTENTION_CAP, type TNeedsAttention } from "@/lib/dashboard/attention-lines";
import { NEEDS_ATTENTION_SQL, type TNeedsAttentionRow } from "@/lib/dashboard/needs-attention-sql";
import { pgPool } from "@/lib/pg";

/**
 * What waits for a person, read live on each view of the dashboard: rejections waiting for a second
 * reviewer, unmatched objections, paused or failed campaigns and paused domains. Each count stops at
 * ATTENTION_CAP + 1 ("100+"), on a partial index: one round trip, bounded however large the tables.
 * The export's health comes from the runs the dashboard reads anyway (lib/dashboard/export-warning.ts).
 * On `pool`: the dashboard hands it the replica's when it reads there.
 */
export const readNeedsAttention = async ({ actor, pool = pgPool() }: { actor: TActor; pool?: Pick<pg.Pool, "query"> }): Promise<Omit<TNeedsAttention, "export">> => {
  assertRole(actor, "viewer");
  const { rows } = await pool.query<TNeedsAttentionRow>(NEEDS_ATTENTION_SQL, [ATTENTION_CAP + 1]);
  const row = rows[0];
  const pausedIn = row?.domainPauseCampaigns ?? [];
  return {
    rejectionsPending: Number(row?.rejectionsPending ?? 0),
    unmatched: Number(row?.unmatched ?? 0),
    campaigns: { count: Number(row?.campaigns ?? 0), failed: Number(row?.campaignsFailed ?? 0) },
    domainsPaused: { count: Number(row?.domainsPaused ?? 0), campaignId: pausedIn.length === 1 ? pausedIn[0]! : null },
  };
};
