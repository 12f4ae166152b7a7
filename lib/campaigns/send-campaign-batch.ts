import { setTimeout as sleep } from "node:timers/promises";

import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { countDomainSends } from "@/lib/campaigns/count-domain-sends";
import { nextPacedChunk } from "@/lib/campaigns/next-paced-chunk";
import { recordPacing } from "@/lib/campaigns/record-pacing";
import { recordSendOutcomes } from "@/lib/campaigns/record-send-outcomes";
import { requeueBatch, sendJobWaiting } from "@/lib/campaigns/requeue-batch";
import { ANY_LEFT, CAMPAIGN_STATUS, CLAIM, COMPLETE_IF_DONE, type TClaimedRow } from "@/lib/campaigns/send-campaign-batch-sql";
import { sendNotice, type TSendOutcome } from "@/lib/campaigns/send-notice";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { inTransaction, pgPool } from "@/lib/pg";

// The send job's loop. Its parts: the throttled transport (throttled-send.ts), render-and-send
// (send-notice.ts), recording outcomes (record-send-outcomes.ts), choosing the next paced chunk
// (next-paced-chunk.ts), and its SQL (send-campaign-batch-sql.ts).

/**
 * Notifications claimed, sent and recorded per transaction. A worker killed mid-chunk rolls its
 * claims back, so it can re-send at most this many per send job it runs at once
 * (WORKER_BATCH_CONCURRENCY): 25 × 2 = 50 by default. Small enough to keep that figure low, large
 * enough that the transaction per chunk costs little next to the sends (see scripts/bench/campaign.ts).
 */
export const SEND_CHUNK_SIZE = 25;

/** The longest a send job goes on while paced (and at most half its expiry) before it leaves the batch to a fresh job. */
const MAX_PACED_JOB_MS = 30_000;

/** How long a send job runs before it gives its slot to another waiting job rather than wait on paced domains. */
const YIELD_AFTER_MS = 2_000;

/**
 * How long a batch left to a fresh job waits first when some of its recipients got a 4xx: they are
 * tried again by that job (each at most MAX_RECIPIENT_ATTEMPTS times, record-send-outcomes.ts), not sooner.
 */
const RETRY_4XX_AFTER_SECONDS = 5;

/** The shortest sleep while every domain left waits for its budget. */
const MIN_WAIT_MS = 5;

const isRunning = async (campaignId: string) => {
  const { rows } = await pgPool().query<{ status: string }>(CAMPAIGN_STATUS, [campaignId]);
  return rows[0]?.status === "running";
};

/** Marks the campaign done once no email is left queued. */
export const completeCampaignIfDone = async (campaignId: string) => {
  await pgPool().query(COMPLETE_IF_DONE, [campaignId]);
};

/**
 * The send job for one batch. Claims a chunk, sends it, records what happened, commits; repeats.
 * A paused campaign stops before the next chunk. An SMTP outage leaves the rest queued and throws,
 * so the queue retries the batch with backoff. A 4xx for one recipient is retried later; a 5xx fails it.
 * What it throws is the campaign's failure reason once the retries run out (recordCampaignFailure).
 *
 * A domain paced by MAIL_DOMAIN_RATES whose budget is spent waits (its emails stay queued) while
 * the others' go on; when only waiting domains are left, the job sleeps until the first budget
 * comes back, and says which domains wait (recordPacing). A job that would wait after running
 * for half its expiry (30 s at most), or for 2 s while another send job is ready, ends and leaves
 * a fresh job for the batch at the back of the queue: it never expires for waiting, and other
 * batches (their unpaced emails first) get the worker slot in turn. Its recipients that got a 4xx
 * are the fresh job's to retry, a few seconds on; only a job that ends the batch with some left throws.
 */
export const sendCampaignBatch = async ({ actor, campaignId, batch }: { actor: TActor; campaignId: string; batch: number }) => {
  assertActorKind(actor, "system");
  const rates = env().MAIL_DOMAIN_RATES;
  const startedAt = Date.now();
  const budgetMs = Math.min(env().CAMPAIGN_BATCH_EXPIRE_SECONDS * 500, MAX_PACED_JOB_MS);
  const retryLater: string[] = [];
  /** Paced domains whose budget is spent, and when it comes back (epoch ms). */
  const waiting = new Map<string, number>();
  let sent = 0;
  const pacedDomains = (domains: string[]) => domains.map((domain) => ({ domain, ratePerSecond: rates.get(domain) ?? null }));

  for (;;) {
    if (!(await isRunning(campaignId))) return { sent, stopped: true };

    const chunk = await nextPacedChunk({ campaignId, batch, rates, waiting, retryLater, chunkSize: SEND_CHUNK_SIZE });
    if (chunk.held.length > 0) await recordPacing({ campaignId, domains: pacedDomains(chunk.held) });
    if (!chunk.more) {
      // Nothing to send now: the batch is done, unless emails of paced domains wait for their budget.
      if (waiting.size === 0) break;
      const { rows } = await pgPool().query<{ left: boolean }>(ANY_LEFT, [campaignId, batch, retryLater]);
      if (!rows[0]?.left) break;
      await recordPacing({ campaignId, domains: pacedDomains([...waiting.keys()]) });
      // A job that only waits holds a worker slot: it gives the slot up once it has run a while
      // and another send job is ready (the unpaced emails of other batches go first), and always
      // before its expiry. Recipients that got a 4xx stay queued for the fresh job, which starts a
      // little later: failing here instead would spend the queue's retries, with a backoff growing
      // job after job, on a batch that is only slow.
      const ranMs = Date.now() - startedAt;
      if (ranMs >= budgetMs || (ranMs >= YIELD_AFTER_MS && (await sendJobWaiting()))) {
        await requeueBatch({ campaignId, batch, afterSeconds: retryLater.length > 0 ? RETRY_4XX_AFTER_SECONDS : 0 });
        return { sent, stopped: false, requeued: true };
      }
      await sleep(Math.max(MIN_WAIT_MS, Math.min(...waiting.values()) - Date.now()));
      continue;
    }
    if (chunk.ids?.length === 0) continue;

    const { claimed, outcomes } = await inTransaction(async (client) => {
      const { rows } = await client.query<TClaimedRow>(CLAIM, [campaignId, batch, retryLater, SEND_CHUNK_SIZE, chunk.ids, chunk.toSkip]);
      const toSend = rows.filter((row) => !row.release);
      const results = await Promise.all(toSend.map((row): Promise<TSendOutcome> | TSendOutcome => (row.skip ? { id: row.id, result: "skipped" } : sendNotice({ row, campaignId }))));
      await recordSendOutcomes({ client, campaignId, outcomes: results });
      await countDomainSends({ client, campaignId, sentTo: toSend.filter((_, index) => results[index]?.result === "sent").map((row) => row.email) });
      return { claimed: rows.length, outcomes: results };
    });
    // Nothing claimed: every row left is locked by another job for this batch, which sends it.
    if (claimed === 0) break;

    sent += outcomes.filter((outcome) => outcome.result === "sent").length;
    const connectionFailure = outcomes.find((outcome) => outcome.result === "connection");
    if (connectionFailure && "error" in connectionFailure) throw new AppError("unavailable", { message: `SMTP unavailable: ${connectionFailure.error}` });
    retryLater.push(...outcomes.filter((outcome) => outcome.result === "recipient_transient").map((outcome) => outcome.id));
  }

  if (retryLater.length > 0) throw new Error(`${retryLater.length} recipients not sent yet (a 4xx reply, or another error for that recipient)`);
  await completeCampaignIfDone(campaignId);
  return { sent, stopped: false };
};
