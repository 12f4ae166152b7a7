import pg from "pg";

import { deliveriesByRecipient, recipientOf, waitUntil } from "@/test/campaign-fixtures";
import type { TSmtpSink } from "@/test/smtp-sink";
import type { TLoadMember, TPostOutcome } from "@/faults/form-load";

// What a fault test under form load checks at the end: the answers the posts got, against what
// the database holds and the SMTP sink received.

type TQuery = <T extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<T[]>;

/**
 * What the database holds for these members once the worker is done: objections stored per member,
 * and per stored objection its receipt events and the messages the SMTP sink got.
 */
export const storedAndReceipts = async ({ query, sink, group }: { query: TQuery; sink: TSmtpSink; group: TLoadMember[] }) => {
  const ids = group.map((member) => member.id);
  const rows = () =>
    query<{ memberId: string; email: string; objections: number; receipts: number }>(
      `SELECT o."memberId", m.email, count(DISTINCT o.id)::int AS objections, count(e.id)::int AS receipts
         FROM "Objection" o JOIN "Member" m ON m.id = o."memberId"
         LEFT JOIN "ObjectionEvent" e ON e."objectionId" = o.id AND e.type = 'receipt_sent'
        WHERE o."memberId" = ANY($1::uuid[]) GROUP BY o."memberId", m.email`,
      [ids],
    );
  await waitUntil({ check: async () => (await rows()).every((row) => row.receipts > 0), timeoutMs: 60_000, what: "every stored objection's receipt" });
  const stored = await rows();
  const emails = new Set(stored.map((row) => row.email));
  const deliveries = deliveriesByRecipient(sink.messages.filter((message) => emails.has(recipientOf(message))));
  return {
    stored: new Map(stored.map((row) => [row.memberId, row.objections])),
    receiptEventsNotOnce: stored.filter((row) => row.receipts !== row.objections).length,
    deliveriesNotOnce: stored.filter((row) => deliveries.get(row.email) !== 1).length,
    /** Stored objections whose receipt arrived more than once. */
    deliveriesTwice: stored.filter((row) => (deliveries.get(row.email) ?? 0) > 1).length,
  };
};

export const summary = (outcomes: TPostOutcome[]) => {
  const acknowledged = outcomes.filter((outcome) => outcome.acknowledged);
  const failed = outcomes.filter((outcome) => !outcome.acknowledged);
  return { acknowledged, failed };
};

/**
 * The checks a fault test under form load makes once its load has stopped: the acknowledged posts
 * not stored exactly once (`lost`), members stored more than once, and the receipts.
 */
export const outcomesAgainstDatabase = async ({ query, sink, outcomes, group }: { query: TQuery; sink: TSmtpSink; outcomes: TPostOutcome[]; group: TLoadMember[] }) => {
  const { acknowledged, failed } = summary(outcomes);
  const receipts = await storedAndReceipts({ query, sink, group });
  const lost = acknowledged.filter((outcome) => receipts.stored.get(outcome.member.id) !== 1).map((outcome) => outcome.member.id);
  const storedTwice = [...receipts.stored.values()].filter((count) => count !== 1).length;
  return { acknowledged, failed, lost, storedTwice, ...receipts };
};

/**
 * When the posts recovered from a fault: the answer to the first acknowledged post sent after the
 * last one that failed (0 when none failed), as milliseconds after `faultEndedAt` (never below 0).
 */
export const recoveryMs = ({ outcomes, faultEndedAt }: { outcomes: TPostOutcome[]; faultEndedAt: number }) => {
  const lastFailedSentAt = Math.max(0, ...outcomes.filter((outcome) => !outcome.acknowledged).map((outcome) => outcome.sentAt));
  if (lastFailedSentAt === 0) return 0;
  const after = outcomes.filter((outcome) => outcome.acknowledged && outcome.sentAt > lastFailedSentAt).sort((a, b) => a.sentAt - b.sentAt)[0];
  return after ? Math.max(0, after.answeredAt - faultEndedAt) : Number.POSITIVE_INFINITY;
};

/** Failed answers counted by status (0: no HTTP answer), with how many of the 503s said when to retry. */
export const failedByStatus = (failed: TPostOutcome[]) => {
  const counts = new Map<number, number>();
  for (const outcome of failed) counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
  const retryAfter = failed.filter((outcome) => outcome.status === 503 && outcome.retryAfter !== null).length;
  return `${[...counts].map(([status, count]) => `${count}× ${status}`).join(", ") || "none"}${counts.has(503) ? ` (${retryAfter} with Retry-After)` : ""}`;
};
