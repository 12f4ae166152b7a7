import "server-only";

import { createElement } from "react";

import { ObjectionWithdrawn, objectionWithdrawnSubject } from "@/emails/objection-withdrawn";
import { actorColumns, assertActorKind, type TActor } from "@/lib/auth/actor";
import { brand } from "@/lib/branding/brand";
import { formatDateTimeFor } from "@/lib/i18n/date-format";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { loadMessages, supportedOrDefault } from "@/lib/i18n/locales";
import { personalLinkUrl } from "@/lib/links/personal-link-url";
import { redactAddresses, sendEmail } from "@/lib/mail";
import { objectionReference } from "@/lib/objections/objection-reference";
import { receiptAttachments, signReceipt } from "@/lib/receipts/sign-receipt";

export type TWithdrawalJob = { objectionId: string };

/**
 * Confirms a withdrawal to the person, in their language, with the way back. Skipped when the
 * objection is not withdrawn, or the confirmation already went out (a `withdrawal_email_sent`
 * event: the job ran again after a crash).
 */
export const sendWithdrawalConfirmation = async ({ actor, objectionId }: TWithdrawalJob & { actor: TActor }) => {
  assertActorKind(actor, "system");
  const objection = await db().objection.findUnique({
    where: { id: objectionId },
    select: { id: true, memberId: true, email: true, country: true, status: true, effectiveAt: true, withdrawnAt: true, member: { select: { locale: true } }, events: { where: { type: "withdrawal_email_sent" }, select: { id: true }, take: 1 } },
  });
  if (!objection?.withdrawnAt || objection.status !== "withdrawn" || objection.events.length > 0) return { sent: false };
  const locale = supportedOrDefault(objection.member?.locale);
  const messages = loadMessages(locale);
  // The signed receipt of the withdrawal (the same file as the status page's); it holds the address, so never logged.
  const jws = await signReceipt(objection);
  const email = createElement(ObjectionWithdrawn, {
    brand: brand(),
    locale,
    messages,
    date: formatDateTimeFor({ locale, country: objection.country, date: objection.withdrawnAt }),
    reference: objectionReference(objection.id),
    // "Object again" opens the member's own form, filled in, as the status page's button does: one
    // click, not /object and another email. Only an objection without an account goes to /object.
    objectUrl: objection.memberId ? personalLinkUrl({ subject: { kind: "member", id: objection.memberId } }) : `${env().APP_URL}/object`,
    signed: jws !== null,
  });
  let messageId: string;
  try {
    ({ messageId } = await sendEmail({ to: objection.email, subject: objectionWithdrawnSubject({ locale, messages }), email, attachments: receiptAttachments(jws) }));
  } catch (error) {
    throw new Error(`Withdrawal confirmation for objection ${objection.id} not sent: ${redactAddresses(error instanceof Error ? error.message : String(error))}`);
  }
  await db().objectionEvent.create({ data: { objectionId: objection.id, type: "withdrawal_email_sent", ...actorColumns(actor), detail: { messageId } } });
  return { sent: true };
};
