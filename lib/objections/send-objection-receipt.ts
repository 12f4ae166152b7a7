import "server-only";

import { actorColumns, assertActorKind, type TActor } from "@/lib/auth/actor";
import { formatDateTimeFor } from "@/lib/i18n/date-format";
import { supportedOrDefault } from "@/lib/i18n/locales";
import { statusLinkUrl } from "@/lib/links/status-link-url";
import { redactAddresses, sendEmail } from "@/lib/mail";
import { countryName } from "@/lib/members/country-name";
import { objectionReference } from "@/lib/objections/objection-reference";
import { renderReceipt } from "@/lib/objections/receipt-renderer";
import { RECEIPT_ROWS_SQL, RECORD_RECEIPT_EVENT_SQL, type TReceiptRow } from "@/lib/objections/objection-sql";
import { pgPool, queryWhileUnreachable } from "@/lib/pg";
import { receiptAttachments, signReceipt } from "@/lib/receipts/sign-receipt";

/** `locale` is the language of an objection made without an account; a member's own language comes first. */
export type TReceiptJob = { objectionId: string; locale?: string; attempt?: number };

export type TReceiptOutcome = { objectionId: string; outcome: "sent" | "skipped" } | { objectionId: string; outcome: "failed"; reason: string };

const sendOne = async ({ row, attempt, jobLocale }: { row: TReceiptRow; attempt: number; jobLocale?: string }) => {
  const locale = supportedOrDefault(row.locale ?? jobLocale);
  // The receipt of the objection as it took effect, whatever happened to it since; it holds the address, so never logged.
  const jws = await signReceipt({ id: row.id, email: row.email, status: "effective", effectiveAt: row.effectiveAt, withdrawnAt: null });
  const { subject, html, text } = await renderReceipt({
    locale,
    signed: jws !== null,
    values: {
      date: formatDateTimeFor({ locale, country: row.country, date: row.effectiveAt }),
      countryName: countryName({ country: row.country, locale }),
      reference: objectionReference(row.id),
      statusUrl: statusLinkUrl({ objectionId: row.id }),
    },
  });
  const { messageId } = await sendEmail({ to: row.email, subject, html, text, attachments: receiptAttachments(jws) });
  return { type: "receipt_sent", detail: { messageId, attempt } };
};

/**
 * Receipt jobs, a batch at a time: one query loads them, the emails go out side by side over the
 * pooled transport, and each outcome is recorded in the audit trail as soon as it is known (a
 * failure without the address). A receipt already sent is never sent again; a worker killed
 * mid-batch sends again only what the mail server had taken in the moments before it could be
 * recorded, not the whole batch. Run by the receipt job (a system actor).
 */
export const sendObjectionReceipts = async ({ actor, jobs }: { actor: TActor; jobs: TReceiptJob[] }): Promise<TReceiptOutcome[]> => {
  assertActorKind(actor, "system");
  if (jobs.length === 0) return [];
  const { rows } = await pgPool().query<TReceiptRow>(RECEIPT_ROWS_SQL, [jobs.map((job) => job.objectionId)]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const { actorType, actorId } = actorColumns(actor);
  // The email is out: what was sent is recorded even across a failover (waited out, for up to a
  // minute), or the job's retry would send it again.
  const record = ({ id, type, detail }: { id: string; type: string; detail: object }) =>
    queryWhileUnreachable(RECORD_RECEIPT_EVENT_SQL, [id, type, JSON.stringify(detail), actorType, actorId]);

  return Promise.all(
    jobs.map(async ({ objectionId, locale, attempt = 1 }): Promise<TReceiptOutcome> => {
      const row = byId.get(objectionId);
      if (!row || row.alreadySent) return { objectionId, outcome: "skipped" };
      let sent: Awaited<ReturnType<typeof sendOne>>;
      try {
        sent = await sendOne({ row, attempt, jobLocale: locale });
      } catch (error) {
        const reason = redactAddresses(error instanceof Error ? error.message : String(error)).slice(0, 500);
        await record({ id: objectionId, type: "receipt_failed", detail: { reason, attempt } });
        return { objectionId, outcome: "failed", reason };
      }
      await record({ id: objectionId, ...sent });
      return { objectionId, outcome: "sent" };
    }),
  );
};

/** One receipt job; a failure is rethrown, so the queue retries it with backoff. */
export const sendObjectionReceipt = async ({ actor, objectionId, locale, attempt = 1 }: TReceiptJob & { actor: TActor }) => {
  const [result] = await sendObjectionReceipts({ actor, jobs: [{ objectionId, locale, attempt }] });
  if (result?.outcome === "failed") throw new Error(`Receipt for objection ${objectionId} not sent (attempt ${attempt}): ${result.reason}`);
  return { sent: result?.outcome === "sent" };
};
