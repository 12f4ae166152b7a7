import "server-only";

import pThrottle from "p-throttle";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { noticeMessageId } from "@/lib/bounces/notice-message-id";
import { verpAddress } from "@/lib/bounces/verp-address";
import { fillNotice, listUnsubscribeHeaders, noticeContent, noticeTemplate } from "@/lib/campaigns/notice-renderer";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { personalLinkToken } from "@/lib/links/personal-link-url";
import { signRawMessage } from "@/lib/dkim/sign-raw-message";
import { classifySmtpError, redactAddresses } from "@/lib/mail";
import { dkimKey, mailTransport, presignedMailTransport } from "@/lib/mail/transport";
import { inTransaction, pgPool } from "@/lib/pg";
import { unsubscribeUrl } from "@/lib/unsubscribe/unsubscribe-url";
import { countDomainSends } from "@/lib/campaigns/count-domain-sends";
import { ANY_LEFT, CLAIM, PEEK, type TClaimedRow } from "@/lib/campaigns/send-campaign-batch-sql";
import { recordPacing } from "@/lib/campaigns/record-pacing";
import { requeueBatch, sendJobWaiting } from "@/lib/campaigns/requeue-batch";
import { takeDomainBudget } from "@/lib/mail-pacing/take-domain-budget";

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
 * tried again by that job (each at most MAX_RECIPIENT_ATTEMPTS times), not sooner.
 */
const RETRY_4XX_AFTER_SECONDS = 5;

/** The shortest sleep while every domain left waits for its budget. */
const MIN_WAIT_MS = 5;

/** A notification that gets a 4xx reply this often is marked failed. */
export const MAX_RECIPIENT_ATTEMPTS = 5;

/** What a sent notice proves: the language and notice version sent, and the relay's reply. */
type TProof = { locale: string; noticeVersion: string; relayReply: string };

type TOutcome =
  | ({ id: string; result: "sent" } & TProof)
  | { id: string; result: "skipped" }
  | { id: string; result: "permanent" | "recipient_transient" | "connection"; error: string };

type TMessage = Parameters<ReturnType<typeof mailTransport>["sendMail"]>[0];

type TSent = Awaited<ReturnType<ReturnType<typeof mailTransport>["sendMail"]>>;

let throttle: ((run: () => Promise<TSent>) => Promise<TSent>) | undefined;

/**
 * Sends at no more than MAIL_RATE_PER_SEC (0: as fast as it goes): a raw notice that carries its
 * DKIM signature already through the transport that does not sign again, anything else through the
 * one that signs.
 */
const send = (message: TMessage, { presigned }: { presigned: boolean }) => {
  if (!throttle) {
    const rate = env().MAIL_RATE_PER_SEC;
    const run = (sendOne: () => Promise<TSent>) => sendOne();
    throttle = rate > 0 ? pThrottle({ limit: rate, interval: 1000 })(run) : run;
  }
  return throttle(() => (presigned ? presignedMailTransport() : mailTransport()).sendMail(message));
};

/** The bare address in MAIL_FROM ("Name <addr>" or "addr"). */
const fromAddress = () => {
  const from = env().MAIL_FROM;
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
};

/**
 * The SMTP envelope sender: with BOUNCE_DOMAIN, an address per notification and day, signed
 * (VERP), so a bounce names its notification however the returning server words it, and cannot be
 * forged by whoever knows the id; without, MAIL_FROM's address. The header From is MAIL_FROM either way.
 */
const envelopeSender = ({ notificationId, sentAt }: { notificationId: string; sentAt: Date }) => {
  const { BOUNCE_DOMAIN, BOUNCE_LOCAL, LINK_SECRET } = env();
  return BOUNCE_DOMAIN ? verpAddress({ notificationId, sentAt, local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN, secret: LINK_SECRET }) : fromAddress();
};

/** SMTP's "250 2.0.0 Ok: queued as 4Bx…", addresses removed, short enough to keep for every email. */
const relayReplyOf = (info: unknown) => redactAddresses(String((info as { response?: unknown } | undefined)?.response ?? "")).slice(0, 300);

const sendOne = async ({ row, campaignId }: { row: TClaimedRow; campaignId: string }): Promise<TOutcome> => {
  const template = await noticeTemplate({ campaignId, locale: row.locale });
  const token = personalLinkToken({ subject: { kind: "notification", id: row.id } });
  const unsubscribe = unsubscribeUrl({ notificationId: row.id });
  // One moment for the envelope and the Message-ID: the bounce listener works the one out from the other.
  const sentAt = new Date();
  const envelope = { from: envelopeSender({ notificationId: row.id, sentAt }), to: [row.email] };
  const messageId = noticeMessageId({ notificationId: row.id, sentAt, domain: fromAddress().split("@")[1] ?? "localhost", secret: env().LINK_SECRET });
  const raw = fillNotice({ template, token, to: row.email, messageId, unsubscribeUrl: unsubscribe });
  const key = dkimKey();
  try {
    const info = raw
      ? await send({ envelope, raw: key ? await signRawMessage(raw, key) : raw }, { presigned: true })
      : await send({ envelope, from: env().MAIL_FROM, to: row.email, messageId, headers: listUnsubscribeHeaders(unsubscribe), ...noticeContent({ template, token }) }, { presigned: false });
    return { id: row.id, result: "sent", locale: template.language, noticeVersion: template.version, relayReply: relayReplyOf(info) };
  } catch (error) {
    const message = redactAddresses(error instanceof Error ? error.message : String(error)).slice(0, 500);
    return { id: row.id, result: classifySmtpError(error), error: message };
  }
};

const recordOutcomes = async ({ client, outcomes }: { client: import("pg").PoolClient; outcomes: TOutcome[] }) => {
  const sent = outcomes.filter((outcome) => outcome.result === "sent");
  if (sent.length > 0) {
    // One statement per chunk, proof of notice included: which language and notice, and what the relay said.
    await client.query(
      `UPDATE "Notification" n SET status = 'sent', "sentAt" = now(), attempts = n.attempts + 1, "lastError" = NULL,
         locale = s.locale, "noticeVersion" = s.version, "relayReply" = s.reply
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS s(id, locale, version, reply)
       WHERE n.id = s.id`,
      [sent.map((s) => s.id), sent.map((s) => s.locale), sent.map((s) => s.noticeVersion), sent.map((s) => s.relayReply)],
    );
  }
  // Skipped rows were recorded by the claim itself.
  const failures = outcomes.filter((outcome) => outcome.result !== "sent" && outcome.result !== "skipped");
  if (failures.length === 0) return;
  // A connection failure says nothing about the recipient: it costs the notification no attempt.
  await client.query(
    `UPDATE "Notification" n SET
       attempts = n.attempts + CASE WHEN f.kind = 'connection' THEN 0 ELSE 1 END,
       "lastError" = f.error,
       status = CASE
         WHEN f.kind = 'permanent' THEN 'failed'
         WHEN f.kind = 'recipient_transient' AND n.attempts + 1 >= $4 THEN 'failed'
         ELSE 'queued' END::"NotificationStatus"
     FROM unnest($1::uuid[], $2::text[], $3::text[]) AS f(id, kind, error)
     WHERE n.id = f.id`,
    [failures.map((f) => f.id), failures.map((f) => f.result), failures.map((f) => ("error" in f ? f.error : "")), MAX_RECIPIENT_ATTEMPTS],
  );
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isRunning = async (campaignId: string) => {
  const { rows } = await pgPool().query<{ status: string }>(`SELECT status FROM "Campaign" WHERE id = $1`, [campaignId]);
  return rows[0]?.status === "running";
};

/** Marks the campaign done once no email is left queued. */
export const completeCampaignIfDone = async (campaignId: string) => {
  await pgPool().query(
    `UPDATE "Campaign" SET status = 'done', "completedAt" = now(), "updatedAt" = now()
     WHERE id = $1 AND status = 'running' AND "audienceAt" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM "Notification" WHERE "campaignId" = $1 AND status = 'queued' AND channel = 'email')`,
    [campaignId],
  );
};

/**
 * The ids of the next chunk to claim, each paced domain's share cut to the budget it was granted
 * (null: no domain is paced), and those of them read as rows to skip, for which no budget was taken.
 */
type TNextChunk = { ids: string[] | null; toSkip: string[]; more: boolean; held: string[] };

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

  const nextChunk = async (): Promise<TNextChunk> => {
    if (rates.size === 0) return { ids: null, toSkip: [], more: true, held: [] };
    const now = Date.now();
    for (const [domain, until] of waiting) if (until <= now) waiting.delete(domain);
    const { rows } = await pgPool().query<{ id: string; domain: string; skip: boolean }>(PEEK, [campaignId, batch, retryLater, SEND_CHUNK_SIZE, [...waiting.keys()]]);
    const toSkip = rows.filter((row) => row.skip).map((row) => row.id);
    const ids = [...toSkip];
    const held: string[] = [];
    const byDomain = new Map<string, { id: string }[]>();
    for (const row of rows) if (!row.skip) byDomain.set(row.domain, [...(byDomain.get(row.domain) ?? []), row]);
    for (const [domain, domainRows] of byDomain) {
      const rate = rates.get(domain);
      if (rate === undefined) {
        ids.push(...domainRows.map((row) => row.id));
        continue;
      }
      const { granted, msBeforeNext } = await takeDomainBudget({ domain, rate, wanted: domainRows.length });
      ids.push(...domainRows.slice(0, granted).map((row) => row.id));
      if (msBeforeNext > 0) waiting.set(domain, Date.now() + msBeforeNext);
      if (granted < domainRows.length) held.push(domain);
    }
    return { ids, toSkip, more: rows.length > 0, held };
  };

  for (;;) {
    if (!(await isRunning(campaignId))) return { sent, stopped: true };

    const chunk = await nextChunk();
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
      const results = await Promise.all(toSend.map((row): Promise<TOutcome> | TOutcome => (row.skip ? { id: row.id, result: "skipped" } : sendOne({ row, campaignId }))));
      await recordOutcomes({ client, outcomes: results });
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
