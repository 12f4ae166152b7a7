import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertPlatformOrRole, type TActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import type { TCreateCampaign } from "@/lib/campaigns/schema";
import { db } from "@/lib/db";
import { hasPostgresErrorCode } from "@/lib/errors/postgres-error-code";
import type { TransactionClient } from "@/lib/generated/prisma/internal/prismaNamespace";

/**
 * A follow-up names a campaign that is done: until then some of its emails are still queued, so
 * who it missed is not known. `done` is final, so the check still holds at the launch.
 */
const assertFollowsDoneCampaign = async (tx: Pick<TransactionClient, "campaign">, notReachedBy: string) => {
  const earlier = await tx.campaign.findUnique({ where: { id: notReachedBy }, select: { name: true, status: true } });
  if (!earlier) throw new AppError("invalid", { message: "No campaign has the id given as notReachedBy: a follow-up must name an earlier campaign." });
  if (earlier.status !== "done") {
    throw new AppError("invalid", { message: `The campaign "${earlier.name}" is ${earlier.status}, not done: who it did not reach is not known yet. Wait until it has finished sending.` });
  }
};

// SQLSTATE 55P03 (lock_not_available): the campaign's partition of Notification (made by a trigger
// as the campaign is inserted; migration notification_partitions) waited 5 s for a lock that a long
// write to members or objections held. Nothing was created; a minute later it will be.
const PARTITION_LOCK_BUSY = new Set(["55P03"]);

/**
 * A draft campaign, for the platform or an admin (who needs the admin role); its creation is
 * audited in the same transaction. With `notReachedBy`, a
 * follow-up that will tell only the members that earlier campaign did not reach; with
 * `onlyNotYetReached`, no member an earlier campaign already reached is told again. AppError
 * `invalid` (422) when that campaign does not exist or is not done; `conflict` (409) when its
 * partition could not be made for a lock held too long.
 */
export const createCampaign = async ({ actor, campaign: { name, channels, countries = [], notReachedBy, onlyNotYetReached = false } }: { actor: TActor; campaign: TCreateCampaign }) => {
  assertPlatformOrRole(actor, "admin");
  try {
    return await db().$transaction(async (tx) => {
      if (notReachedBy) await assertFollowsDoneCampaign(tx, notReachedBy);
      const created = await tx.campaign.create({ data: { name, channels, countries, notReachedById: notReachedBy ?? null, onlyNotYetReached }, select: { id: true } });
      await recordAuditEvent(tx, {
        actor,
        action: "campaign_create",
        target: { type: "campaign", id: created.id },
        detail: { channels, countries, ...(notReachedBy ? { notReachedBy } : {}), ...(onlyNotYetReached ? { onlyNotYetReached } : {}) },
      });
      return created;
    });
  } catch (error) {
    if (!hasPostgresErrorCode(error, PARTITION_LOCK_BUSY)) throw error;
    throw new AppError("conflict", {
      message: "The database is busy with a large change to members or objections, so the campaign was not created. Try again in a minute.",
      headers: { "Retry-After": "60" },
    });
  }
};
