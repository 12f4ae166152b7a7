import "server-only";

import { connect } from "node:net";

import nodemailer, { type Transporter } from "nodemailer";

import { parseDkimKey } from "@/lib/dkim/parse-dkim-key";
import type { TDkimKey } from "@/lib/dkim/sign-raw-message";
import { env } from "@/lib/env";

// The one place that makes nodemailer transports: created from the environment on first use and
// kept for the process (on globalThis, so that Next's module reloads in development share them).
// Transactional mail goes through sendEmail (lib/mail.ts); the campaign sender takes the same two.

const globalForMail = globalThis as unknown as { mailTransport?: Transporter; presignedMailTransport?: Transporter };

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

// nodemailer's own list (RFC 4871 § 5.5), plus List-Unsubscribe-Post: RFC 8058 wants the one-click
// headers covered by the signature, and the large mailbox providers check that they are.
const DKIM_SIGNED_HEADERS = [
  "From", "Sender", "Reply-To", "Subject", "Date", "Message-ID", "To", "Cc", "MIME-Version", "Content-Type",
  "Content-Transfer-Encoding", "Content-ID", "Content-Description", "Resent-Date", "Resent-From", "Resent-Sender",
  "Resent-To", "Resent-Cc", "Resent-Message-ID", "In-Reply-To", "References", "List-Id", "List-Help",
  "List-Unsubscribe", "List-Unsubscribe-Post", "List-Subscribe", "List-Post", "List-Owner", "List-Archive",
].join(":");

let parsedDkimKey: TDkimKey | null | undefined;

/** The DKIM key and what it signs, parsed once; null when DKIM is off (env.ts refuses one or two of the three variables). */
export const dkimKey = (): TDkimKey | null => {
  if (parsedDkimKey !== undefined) return parsedDkimKey;
  const { DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY } = env();
  const privateKey = DKIM_PRIVATE_KEY ? parseDkimKey(DKIM_PRIVATE_KEY) : null;
  parsedDkimKey = DKIM_DOMAIN && DKIM_SELECTOR && privateKey ? { domainName: DKIM_DOMAIN, keySelector: DKIM_SELECTOR, privateKey, headerFieldNames: DKIM_SIGNED_HEADERS } : null;
  return parsedDkimKey;
};

/**
 * nodemailer's DKIM option: it signs every message the transport sends, composed or raw, after the
 * message is final. The key is parsed once: given the PEM, crypto would parse it again for every
 * signature (1.2 ms of the 1.8 ms one then takes). nodemailer's types say string; crypto takes a
 * KeyObject wherever it takes a PEM.
 */
const dkimOption = () => {
  const key = dkimKey();
  return key ? { ...key, privateKey: key.privateKey as unknown as string } : undefined;
};

const createPooledTransport = ({ sign }: { sign: boolean }) => {
  const smtp = smtpOptionsFromUrl(env().SMTP_URL);
  return nodemailer.createTransport({
    ...smtp,
    pool: true,
    maxConnections: env().MAIL_POOL_SIZE,
    maxMessages: Infinity,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    dkim: sign ? dkimOption() : undefined,
    // TLS connections (smtps) keep nodemailer's own socket handling.
    ...(smtp.secure ? {} : { getSocket: noDelaySocket }),
  });
};

/** The transport for every email: DKIM-signed by nodemailer when DKIM is on. */
export const mailTransport = (): Transporter => (globalForMail.mailTransport ??= createPooledTransport({ sign: true }));

/**
 * For raw messages that carry their DKIM signature already (the campaign's notices, signed by
 * lib/dkim/sign-raw-message.ts): nodemailer must not sign them a second time. With DKIM off, the
 * one transport above.
 */
export const presignedMailTransport = (): Transporter => {
  if (!dkimKey()) return mailTransport();
  return (globalForMail.presignedMailTransport ??= createPooledTransport({ sign: false }));
};

export const closeMailTransport = () => {
  globalForMail.mailTransport?.close();
  globalForMail.presignedMailTransport?.close();
  globalForMail.mailTransport = undefined;
  globalForMail.presignedMailTransport = undefined;
};
