import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import {
  INSERT_AUDIENCE_NOT_YET_REACHED_SQL,
  INSERT_AUDIENCE_SQL,
  INSERT_NOT_REACHED_AUDIENCE_SQL,
  LOCK_AUDIENCE_CAMPAIGN_SQL,
  RECORD_AUDIENCE_SQL,
  type TAudienceCampaignRow,
} from "@/lib/campaigns/audience-sql";
import { enqueueBatches } from "@/lib/campaigns/enqueue-batches";
import { env } from "@/lib/env";
import { jobs } from "@/lib/jobs";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { inTransaction } from "@/lib/pg";

/**
 * The audience job: creates every notification and every send job in one transaction, so a crash
 * leaves either nothing (and the job runs again) or everything. A follow-up (its `notReachedById`,
 * an earlier campaign) tells only the members that campaign did not reach; with `onlyNotYetReached`,
 * no member any other campaign already reached is told again. Run by the audience job.
 */
export const computeAudience = async ({ actor, campaignId }: { actor: TActor; campaignId: string }) => {
  assertActorKind(actor, "system");
  const boss = await jobs();
  return inTransaction(
    async (client) => {
      const { rows } = await client.query<TAudienceCampaignRow>(LOCK_AUDIENCE_CAMPAIGN_SQL, [campaignId]);
      const campaign = rows[0];
      if (!campaign || campaign.audienceAt || !campaign.launchedAt) return { total: 0, batches: 0 };

      const countries = campaign.countries.length > 0 ? campaign.countries : [...EEA_COUNTRIES];
      const batchSize = env().CAMPAIGN_BATCH_SIZE;
      let total = 0;
      let batches = 0;
      for (const channel of campaign.channels) {
        const inserted = campaign.onlyNotYetReached
          ? await client.query(INSERT_AUDIENCE_NOT_YET_REACHED_SQL, [campaignId, channel, countries, campaign.launchedAt, batchSize, campaign.notReachedById, true])
          : campaign.notReachedById
            ? await client.query(INSERT_NOT_REACHED_AUDIENCE_SQL, [campaignId, channel, countries, campaign.launchedAt, batchSize, campaign.notReachedById])
            : await client.query(INSERT_AUDIENCE_SQL, [campaignId, channel, countries, campaign.launchedAt, batchSize]);
        total = Math.max(total, inserted.rowCount ?? 0);
        if (channel === "email") batches = Math.ceil((inserted.rowCount ?? 0) / batchSize);
      }
      await enqueueBatches({ boss, client, campaignId, batches: Array.from({ length: batches }, (_, batch) => batch) });
      await client.query(RECORD_AUDIENCE_SQL, [campaignId, total, batches]);
      return { total, batches };
    },
    { isolation: "REPEATABLE READ" },
  );
};
