import "server-only";

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

export const mailTransport = (): Transporter =>
  (globalForMail.mailTransport ??= nodemailer.createTransport({
    ...smtpOptionsFromUrl(env().SMTP_URL),
    pool: true,
    maxConnections: 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  }));

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

export const sendEmail = async ({ to, subject, email }: { to: string; subject: string; email: ReactElement }) => {
  const { html, text } = await renderEmail(email);
  const info = await mailTransport().sendMail({ from: env().MAIL_FROM, to, subject, html, text });
  return { messageId: info.messageId as string };
};
