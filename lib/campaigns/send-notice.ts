import "server-only";

import { noticeMessageId } from "@/lib/bounces/notice-message-id";
import { verpAddress } from "@/lib/bounces/verp-address";
import { fillNotice, listUnsubscribeHeaders, noticeContent, noticeTemplate } from "@/lib/campaigns/notice-renderer";
import { type TClaimedRow } from "@/lib/campaigns/send-campaign-batch-sql";
import { send } from "@/lib/campaigns/throttled-send";
import { signRawMessage } from "@/lib/dkim/sign-raw-message";
import { env } from "@/lib/env";
import { personalLinkToken } from "@/lib/links/personal-link-url";
import { classifySmtpError, redactAddresses } from "@/lib/mail";
import { dkimKey } from "@/lib/mail/transport";
import { unsubscribeUrl } from "@/lib/unsubscribe/unsubscribe-url";

/** What a sent notice proves: the language and notice version sent, and the relay's reply. */
type TProof = { locale: string; noticeVersion: string; relayReply: string };

/** What became of one claimed notification, for recordSendOutcomes. */
export type TSendOutcome =
  | ({ id: string; result: "sent" } & TProof)
  | { id: string; result: "skipped" }
  | { id: string; result: "permanent" | "recipient_transient" | "connection"; error: string };

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

/** Renders the campaign's notice for one claimed recipient and sends it; says what came of it rather than throwing. */
export const sendNotice = async ({ row, campaignId }: { row: TClaimedRow; campaignId: string }): Promise<TSendOutcome> => {
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
