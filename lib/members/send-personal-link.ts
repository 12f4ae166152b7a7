import "server-only";

import { createElement } from "react";

import { PersonalLink, personalLinkSubject } from "@/emails/personal-link";
import { db } from "@/lib/db";
import { loadMessages, supportedOrDefault } from "@/lib/i18n/locales";
import { personalLinkUrl } from "@/lib/links/personal-link-url";
import { redactAddresses, sendEmail } from "@/lib/mail";

/** The personal-link job: emails the member a fresh `/o/<token>` link. */
export const sendPersonalLink = async ({ memberId }: { memberId: string }) => {
  const member = await db().member.findUnique({ where: { id: memberId }, select: { id: true, email: true, locale: true } });
  if (!member) return { sent: false as const };

  const locale = supportedOrDefault(member.locale);
  const messages = loadMessages(locale);
  try {
    await sendEmail({
      to: member.email,
      subject: personalLinkSubject({ locale, messages }),
      email: createElement(PersonalLink, { locale, messages, linkUrl: personalLinkUrl({ subject: { kind: "member", id: member.id } }) }),
    });
  } catch (error) {
    throw new Error(`Personal link for member ${member.id} not sent: ${redactAddresses(error instanceof Error ? error.message : String(error))}`);
  }
  return { sent: true as const };
};
