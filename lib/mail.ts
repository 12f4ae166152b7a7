import "server-only";

import { connect } from "node:net";

import { render } from "@react-email/render";
import nodemailer, { type Transporter } from "nodemailer";
import type { ReactElement } from "react";

import { env } from "@/lib/env";

const globalForMail = globalThis as unknown as { mailTransport?: Transporter };

/** `smtp://user:pass@host:port` → nodemailer options; nodemailer ignores other keys when given `url`. */
const smtpOptionsFromUrl = (smtpUrl: string) => {
  const url = new URL(smtpUrl);
  const secure = url.protocol === "smtps:";
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
  };
};

/**
 * Plain SMTP sockets with Nagle's algorithm off: with it on, every message waits about 40 ms
 * for a delayed ACK, which caps a connection at a few dozen emails a second.
 */
const noDelaySocket = (options: { host?: string; port?: number }, callback: (error: Error | null, socketOptions?: { connection: ReturnType<typeof connect> }) => void) => {
  const socket = connect({ host: options.host, port: options.port ?? 25 });
  socket.setNoDelay(true);
  callback(null, { connection: socket });
};

export const mailTransport = (): Transporter => {
  if (globalForMail.mailTransport) return globalForMail.mailTransport;
  const smtp = smtpOptionsFromUrl(env().SMTP_URL);
  globalForMail.mailTransport = nodemailer.createTransport({
    ...smtp,
    pool: true,
    maxConnections: env().MAIL_POOL_SIZE,
    maxMessages: Infinity,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // TLS connections (smtps) keep nodemailer's own socket handling.
    ...(smtp.secure ? {} : { getSocket: noDelaySocket }),
  });
  return globalForMail.mailTransport;
};

export const closeMailTransport = () => {
  globalForMail.mailTransport?.close();
  globalForMail.mailTransport = undefined;
};

export const renderEmail = async (email: ReactElement) => ({
  html: await render(email),
  text: await render(email, { plainText: true }),
});

/** SMTP replies often quote the recipient; an address must never reach a log line or the audit trail. */
export const redactAddresses = (text: string) => text.replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, "[address]");

export type TSmtpFailure = "permanent" | "recipient_transient" | "connection";

/**
 * What an SMTP error means for the notification: a 5xx reply is final for that recipient; a
 * 4xx reply may pass on a later try; anything else (refused, timed out, 421) is the server's state,
 * not the recipient's, and says nothing against the notification.
 */
export const classifySmtpError = (error: unknown): TSmtpFailure => {
  const { responseCode, code } = (error ?? {}) as { responseCode?: number; code?: string };
  if (code === "EAUTH" || responseCode === 421 || !responseCode) return "connection";
  if (responseCode >= 500) return "permanent";
  return "recipient_transient";
};

export const sendEmail = async ({ to, subject, email }: { to: string; subject: string; email: ReactElement }) => {
  const { html, text } = await renderEmail(email);
  const info = await mailTransport().sendMail({ from: env().MAIL_FROM, to, subject, html, text });
  return { messageId: info.messageId as string };
};
