import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { LIFT_DOMAIN_PAUSE_SQL, PENDING_BATCHES_SQL, type TLiftedDomainPauseRow, type TPendingBatchRow } from "@/lib/campaigns/campaign-sql";
import { enqueueBatches } from "@/lib/campaigns/enqueue-batches";
import { AppError } from "@/lib/errors/app-error";
import { jobs } from "@/lib/jobs";
import { inTransaction } from "@/lib/pg";

/**
 * Sends a campaign's emails to a recipient domain again, once an admin has fixed what made it
 * refuse them (lib/bounces/domain-pause-sql.ts paused it). The pause goes, the audit event keeps
 * its figures, and a running campaign gets a send job for each batch with emails still queued
 * (the paused domain's among them); a paused campaign gets them when it is resumed. All in one
 * transaction. Claiming rows is safe to race, so a job still waiting from before does no harm.
 * For an admin with the admin role; AppError `conflict` when the domain is not held back.
 */
export const resumeDomain = async ({ actor, campaignId, domain }: { actor: TActor; campaignId: string; domain: string }) => {
  assertRole(actor, "admin");
  const boss = await jobs();
  return inTransaction(async (client) => {
    const { rows } = await client.query<TLiftedDomainPauseRow>(LIFT_DOMAIN_PAUSE_SQL, [campaignId, domain]);
    const lifted = rows[0];
    if (!lifted) throw new AppError("conflict", { message: `The campaign does not hold back ${domain}: there is nothing to resume.` });
    if (lifted.status === "running") {
      const pending = await client.query<TPendingBatchRow>(PENDING_BATCHES_SQL, [campaignId]);
      await enqueueBatches({ boss, client, campaignId, batches: pending.rows.map((row) => row.batch) });
    }
    await recordAuditEvent(client, {
      actor,
      action: "domain_resume",
      target: { type: "campaign", id: campaignId },
      detail: { domain, sent: lifted.sent, rejected: lifted.rejected, status: lifted.lastStatus },
    });
  });
};
