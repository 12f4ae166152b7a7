import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { RECORD_CAMPAIGN_FAILURE_SQL } from "@/lib/campaigns/campaign-sql";
import { redactAddresses } from "@/lib/mail";
import { pgPool } from "@/lib/pg";

/** A dead-lettered campaign job: a send job names its batch, the audience job does not. */
export type TFailedCampaignJob = { campaignId: string; batch?: number };

/** The error a job failed with, as pg-boss stored it: a thrown error, or `{ value }` for an expiry or a shutdown. */
const lastError = (output: unknown) => {
  const { message, value } = (output ?? {}) as { message?: unknown; value?: unknown };
  const text = message ?? (value && typeof value === "object" ? (value as { message?: unknown }).message : value);
  return typeof text === "string" && text.length > 0 ? text : "no error was recorded";
};

/**
 * Marks the campaign failed, with the reason, once one of its send jobs (or its audience job) has
 * used up its retries. pg-boss hands the job to the campaign-failed queue in the same statement
 * that fails its last try, whether it threw or its worker died, so no give-up goes unrecorded.
 */
export const recordCampaignFailure = async ({ actor, campaignId, batch, attempts, output }: TFailedCampaignJob & { actor: TActor; attempts: number; output: unknown }) => {
  assertActorKind(actor, "system");
  const what = batch === undefined ? "The audience could not be computed" : `Batch ${batch} gave up`;
  const reason = redactAddresses(`${what} after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${lastError(output)}`).slice(0, 1000);
  const { rowCount } = await pgPool().query(RECORD_CAMPAIGN_FAILURE_SQL, [campaignId, batch ?? null, reason]);
  return { failed: (rowCount ?? 0) > 0, reason };
};
