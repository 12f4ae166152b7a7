import "server-only";

import { createElement } from "react";

import { AddressLink, addressLinkSubject } from "@/emails/address-link";
import { PersonalLink, personalLinkSubject } from "@/emails/personal-link";
import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { brand } from "@/lib/branding/brand";
import { db } from "@/lib/db";
import { loadMessages, supportedOrDefault } from "@/lib/i18n/locales";
import { personalLinkUrl } from "@/lib/links/personal-link-url";
import { redactAddresses, sendEmail } from "@/lib/mail";
import { ADDRESS_LINK_TTL_DAYS, type TObjectionLinkJob } from "@/lib/objections/request-objection-link";
import { DELETE_EXPIRED_ADDRESS_LINKS_SQL } from "@/lib/objections/objection-sql";
import { pgPool } from "@/lib/pg";

/** More accounts than this on one address is not a person: each still objects through its own notice. */
const MAX_LINKS_PER_EMAIL = 10;

export type TObjectionLinkOutcome = { sent: "personal_links"; accounts: number } | { sent: "address_link" } | { sent: false };

const send = async (work: () => Promise<unknown>, addressLinkId: string) => {
  try {
    await work();
  } catch (error) {
    throw new Error(`Objection link ${addressLinkId} not sent: ${redactAddresses(error instanceof Error ? error.message : String(error))}`);
  }
};

/**
 * The /object job. An address with accounts gets each account's personal link (the same /o/ flow
 * as a notice) and its row is deleted, having served; an address without one gets a link to the
 * row, which records an objection for the address alone until it expires. Run by the /object job.
 */
export const sendObjectionLink = async ({ actor, addressLinkId }: TObjectionLinkJob & { actor: TActor }): Promise<TObjectionLinkOutcome> => {
  assertActorKind(actor, "system");
  await pgPool().query(DELETE_EXPIRED_ADDRESS_LINKS_SQL);

  const link = await db().addressLink.findUnique({ where: { id: addressLinkId }, select: { id: true, email: true, locale: true } });
  if (!link) return { sent: false };

  const accounts = await db().member.findMany({ where: { email: link.email }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: MAX_LINKS_PER_EMAIL, select: { id: true, locale: true } });

  if (accounts.length === 0) {
    const locale = supportedOrDefault(link.locale);
    const messages = loadMessages(locale);
    const linkUrl = personalLinkUrl({ subject: { kind: "address", id: link.id }, ttlDays: ADDRESS_LINK_TTL_DAYS });
    await send(() => sendEmail({ to: link.email, subject: addressLinkSubject({ locale, messages }), email: createElement(AddressLink, { locale, messages, brand: brand(), linkUrl, validDays: ADDRESS_LINK_TTL_DAYS }) }), link.id);
    return { sent: "address_link" };
  }

  // The account's own language first; the language the request was made in otherwise.
  const locale = supportedOrDefault(accounts[0]?.locale ?? link.locale);
  const messages = loadMessages(locale);
  const linkUrls = accounts.map((account) => personalLinkUrl({ subject: { kind: "member", id: account.id } }));
  await send(() => sendEmail({ to: link.email, subject: personalLinkSubject({ locale, messages }), email: createElement(PersonalLink, { locale, messages, brand: brand(), linkUrls }) }), link.id);
  await db().addressLink.deleteMany({ where: { id: link.id } });
  return { sent: "personal_links", accounts: accounts.length };
};
