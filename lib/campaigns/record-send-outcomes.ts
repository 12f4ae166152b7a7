import "server-only";

import type { PoolClient } from "pg";

import { RECORD_FAILURES, RECORD_SENT } from "@/lib/campaigns/send-campaign-batch-sql";
import type { TSendOutcome } from "@/lib/campaigns/send-notice";

/** A notification that gets a 4xx reply this often is marked failed. */
export const MAX_RECIPIENT_ATTEMPTS = 5;

/** Records a chunk's outcomes in the claim's transaction: sent with its proof, or failed, or queued again. */
export const recordSendOutcomes = async ({ client, campaignId, outcomes }: { client: PoolClient; campaignId: string; outcomes: TSendOutcome[] }) => {
  const sent = outcomes.filter((outcome) => outcome.result === "sent");
  if (sent.length > 0) {
    await client.query(RECORD_SENT, [sent.map((s) => s.id), sent.map((s) => s.locale), sent.map((s) => s.noticeVersion), sent.map((s) => s.relayReply), campaignId]);
  }
  // Skipped rows were recorded by the claim itself.
  const failures = outcomes.filter((outcome) => outcome.result !== "sent" && outcome.result !== "skipped");
  if (failures.length === 0) return;
  await client.query(RECORD_FAILURES, [failures.map((f) => f.id), failures.map((f) => f.result), failures.map((f) => ("error" in f ? f.error : "")), MAX_RECIPIENT_ATTEMPTS, campaignId]);
};
