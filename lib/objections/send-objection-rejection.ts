import "server-only";

import { createElement } from "react";

import { ObjectionRejection, objectionRejectionSubject } from "@/emails/objection-rejection";
import { actorColumns, assertActorKind, type TActor } from "@/lib/auth/actor";
import { brand } from "@/lib/branding/brand";
import { formatDateTimeFor } from "@/lib/i18n/date-format";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { loadMessages, supportedOrDefault } from "@/lib/i18n/locales";
import { redactAddresses, sendEmail } from "@/lib/mail";
import { objectionReference } from "@/lib/objections/objection-reference";

export type TRejectionJob = { objectionId: string };

/**
 * The job behind an approved rejection: tells the person, in their language, that their
 * objection was rejected and why, and that they may object again. An objection that is not
 * rejected (nothing to tell), or whose email already went out (a `rejection_email_sent` event:
 * the job ran again after a crash), is skipped. A failure is rethrown without the address, so the queue
 * retries it with backoff and no log line holds the address.
 */
export const sendObjectionRejection = async ({ actor, objectionId }: TRejectionJob & { actor: TActor }) => {
  assertActorKind(actor, "system");
  const objection = await db().objection.findUnique({
    where: { id: objectionId },
    select: {
      id: true,
      email: true,
      country: true,
      status: true,
      effectiveAt: true,
      rejectionReason: true,
      member: { select: { locale: true } },
      events: { where: { type: "rejection_email_sent" }, select: { id: true }, take: 1 },
    },
  });
  if (!objection || objection.status !== "rejected" || !objection.rejectionReason || objection.events.length > 0) return { sent: false };
  const locale = supportedOrDefault(objection.member?.locale);
  const messages = loadMessages(locale);
  let messageId: string;
  try {
    ({ messageId } = await sendEmail({
      to: objection.email,
      subject: objectionRejectionSubject({ locale, messages }),
      email: createElement(ObjectionRejection, {
        brand: brand(),
        locale,
        messages,
        date: formatDateTimeFor({ locale, country: objection.country, date: objection.effectiveAt }),
        reason: objection.rejectionReason,
        reference: objectionReference(objection.id),
        objectUrl: `${env().APP_URL}/object`,
      }),
    }));
  } catch (error) {
    throw new Error(`Rejection email for objection ${objection.id} not sent: ${redactAddresses(error instanceof Error ? error.message : String(error))}`);
  }
  await db().objectionEvent.create({ data: { objectionId: objection.id, type: "rejection_email_sent", ...actorColumns(actor), detail: { messageId } } });
  return { sent: true };
};
