import "server-only";

import { render } from "@react-email/render";
import type { ReactElement } from "react";

import { env } from "@/lib/env";
import { mailTransport } from "@/lib/mail/transport";

export const renderEmail = async (email: ReactElement) => ({
  html: await render(email),
  text: await render(email, { plainText: true }),
});

/** SMTP replies often quote the recipient; an address must never reach a log line or the audit trail. */
export const redactAddresses = (text: string) => text.replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, "[address]");

export type TSmtpFailure = "permanent" | "recipient_transient" | "connection";

// The server's state, not the recipient's: it could not be reached, went away, timed out, refused
// our login or spoke nonsense (nodemailer's codes, and Node's for a socket).
const CONNECTION_CODES = new Set([
  "ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ETLS", "EAUTH", "ENOAUTH", "EPROTOCOL", "EMAXLIMIT", "EPROXY",
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
]);
// What nodemailer's pool says, without a code, when its connections close under a message.
const POOL_CLOSED = /^(Connection pool was closed|Connection closed|Reached maximum number of retries after connection was closed)/;

/**
 * What an SMTP error means for the notification: a 5xx reply is final for that recipient; a 4xx
 * reply may pass on a later try. The server being down or refusing the session (421) says nothing
 * against the notification and costs it no attempt. Every other error is about this message or
 * address and counts as an attempt, even without a reply code: an address nodemailer refuses
 * itself (EENVELOPE, e.g. "No recipients defined") is final; anything else is tried again up to the
 * limit, so no single notification keeps its batch failing forever.
 */
export const classifySmtpError = (error: unknown): TSmtpFailure => {
  const { responseCode, code, message } = (error ?? {}) as { responseCode?: number; code?: string; message?: string };
  if (responseCode === 421 || (code && CONNECTION_CODES.has(code)) || (!code && POOL_CLOSED.test(message ?? ""))) return "connection";
  if (responseCode) return responseCode >= 500 ? "permanent" : "recipient_transient";
  return code === "EENVELOPE" ? "permanent" : "recipient_transient";
};

/** A file sent with an email (a signed receipt: lib/receipts/sign-receipt.ts). */
export type TEmailAttachment = { filename: string; content: string; contentType: string };

/** A transactional email's content: a react-email element to render, or content rendered already. */
type TEmailContent = { email: ReactElement } | { html: string; text: string };

/**
 * The one way to send a transactional email (receipts, links, rejections, withdrawals, admin
 * sign-in, a campaign's test email): from MAIL_FROM, through the signing transport. Campaign
 * notices go their own way, throttled and often presigned, over the same transports.
 */
export const sendEmail = async ({ to, subject, attachments, ...content }: { to: string; subject: string; attachments?: TEmailAttachment[] } & TEmailContent) => {
  const { html, text } = "email" in content ? await renderEmail(content.email) : content;
  const info = await mailTransport().sendMail({ from: env().MAIL_FROM, to, subject, html, text, ...(attachments?.length ? { attachments } : {}) });
  return { messageId: info.messageId as string };
};
