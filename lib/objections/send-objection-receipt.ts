import "server-only";

import { createElement } from "react";

import { ObjectionReceipt, objectionReceiptSubject } from "@/emails/objection-receipt";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { loadMessages, supportedOrDefault } from "@/lib/i18n/locales";
import { personalLinkUrl } from "@/lib/links/personal-link-url";
import { redactAddresses, sendEmail } from "@/lib/mail";
import { countryName } from "@/lib/members/country-name";
import { objectionReference } from "@/lib/objections/objection-reference";

export const RECEIPT_JOB_ACTOR = "job:objection-receipt";

/**
 * The receipt job. Sends once: a retry after a sent receipt does nothing. A failure is recorded in
 * the audit trail (without the address) and rethrown, so the queue retries it with backoff.
 */
export const sendObjectionReceipt = async ({ objectionId, attempt = 1 }: { objectionId: string; attempt?: number }) => {
  const objection = await db().objection.findUnique({
    where: { id: objectionId },
    include: { member: { select: { id: true, locale: true } }, events: { where: { type: "receipt_sent" }, select: { id: true } } },
  });
  if (!objection || objection.events.length > 0 || !objection.member) return { sent: false as const };

  const locale = supportedOrDefault(objection.member.locale);
  const messages = loadMessages(locale);
  const statusUrl = personalLinkUrl({ subject: { kind: "member", id: objection.member.id }, ttlDays: env().RECEIPT_LINK_TTL_DAYS });

  try {
    const { messageId } = await sendEmail({
      to: objection.email,
      subject: objectionReceiptSubject({ locale, messages }),
      email: createElement(ObjectionReceipt, {
        locale,
        messages,
        effectiveAt: objection.effectiveAt,
        countryName: countryName({ country: objection.country, locale }),
        reference: objectionReference(objection.id),
        statusUrl,
      }),
    });
    await db().objectionEvent.create({
      data: { objectionId, type: "receipt_sent", actorType: "system", actorId: RECEIPT_JOB_ACTOR, detail: { messageId, attempt } },
    });
    return { sent: true as const };
  } catch (error) {
    const reason = redactAddresses(error instanceof Error ? error.message : String(error)).slice(0, 500);
    await db().objectionEvent.create({
      data: { objectionId, type: "receipt_failed", actorType: "system", actorId: RECEIPT_JOB_ACTOR, detail: { reason, attempt } },
    });
    throw new Error(`Receipt for objection ${objectionId} not sent (attempt ${attempt}): ${reason}`);
  }
};
