// Bounces and abuse reports as receiving mail servers write them (Postfix's DSN, a mailbox
// provider's ARF report), about a notice that went out with a VERP envelope sender, and a way to
// hand them to the bounce listener over SMTP.
import { randomUUID } from "node:crypto";

import nodemailer from "nodemailer";

import { noticeMessageId } from "@/lib/bounces/notice-message-id";
import { verpAddress } from "@/lib/bounces/verp-address";
import { TEST_ENV } from "@/test/test-env";

export const BOUNCE_DOMAIN = "bounces.objection.test";
export const BOUNCE_LOCAL = "bounces";

type TSentNotice = { sentAt?: Date; secret?: string };

/** The envelope sender a notice sent at `sentAt` (now) went out with, signed with `secret` (the tests' LINK_SECRET). */
export const verpFor = (notificationId: string, { sentAt = new Date(), secret = TEST_ENV.LINK_SECRET }: TSentNotice = {}) =>
  verpAddress({ notificationId, sentAt, secret, local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN });

/** The envelope sender of a notice sent before VERP addresses carried a MAC. */
export const oldVerpFor = (notificationId: string) => `${BOUNCE_LOCAL}+${notificationId}@${BOUNCE_DOMAIN}`;

/** The Message-ID that notice carried (MAIL_FROM's domain). */
export const messageIdFor = (notificationId: string, { sentAt = new Date(), secret = TEST_ENV.LINK_SECRET }: TSentNotice = {}) =>
  noticeMessageId({ notificationId, sentAt, secret, domain: "objection.test" });

/**
 * What a report says about the notice: its envelope sender, the Message-ID it quotes (null: no
 * original headers), or the original headers themselves, as a notice really went out.
 */
type TQuoted = { verp?: string; quotedMessageId?: string | null; quotedHeaders?: string };

const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");

/**
 * The headers of the notice as it left us, quoted back by the report. A DSN's copy is taken before
 * delivery, so it has no Return-Path; a delivered copy (an abuse report's) has one.
 */
const originalHeaders = ({ recipient, messageId, returnPath }: { recipient: string; messageId: string; returnPath?: string }) => `${returnPath ? `Return-Path: <${returnPath}>\n` : ""}Received: from relay.objection.test (relay.objection.test [192.0.2.10])
\tby mx.example.eu (Postfix) with ESMTPS id 4Tq1x2Yz3Kz1
\tfor <${recipient}>; Mon, 30 Nov 2026 03:00:01 +0000 (UTC)
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=objection.test; s=mail2026;
 h=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AbCd
From: Objection <no-reply@objection.test>
To: ${recipient}
Subject: How we use your posts to train AI, and how to object
Date: Mon, 30 Nov 2026 03:00:00 +0000
Message-ID: ${messageId}
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="--notice"`;

/**
 * A delivery status notification (RFC 3464) as Postfix writes it: a human part, the
 * message/delivery-status part, and the original headers (text/rfc822-headers).
 */
export const deliveryStatusNotification = ({
  notificationId,
  recipient,
  status,
  // A soft bounce is a report of a message given up on (4.x.x after days of retries); a warning that
  // the relay is still trying says `delayed`, and tests of delays say so.
  action = "failed",
  diagnostic = `smtp; 550 ${status} <${recipient}>: Recipient address rejected: User unknown in virtual mailbox table`,
  messageId = `${randomUUID()}@mx.example.eu`,
  verp = verpFor(notificationId),
  quotedMessageId = messageIdFor(notificationId),
  quotedHeaders,
}: {
  notificationId: string;
  recipient: string;
  status: string;
  action?: string;
  diagnostic?: string;
  messageId?: string;
} & TQuoted) => {
  const boundary = `${randomUUID()}/mx.example.eu`;
  return crlf(`Return-Path: <>
From: MAILER-DAEMON@mx.example.eu (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: ${verp}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="${boundary}"
Content-Transfer-Encoding: 8bit
Message-Id: <${messageId}>
Date: Mon, 30 Nov 2026 03:00:02 +0000 (UTC)

This is a MIME-encapsulated message.

--${boundary}
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.eu.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<${recipient}>: host mail.example.eu[198.51.100.7] said: ${diagnostic.replace(/^smtp; /, "")}

--${boundary}
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.eu
X-Postfix-Queue-ID: 4Tq1x2Yz3Kz1
X-Postfix-Sender: rfc822; ${verp}
Arrival-Date: Mon, 30 Nov 2026 03:00:01 +0000 (UTC)

Final-Recipient: rfc822; ${recipient}
Original-Recipient: rfc822;${recipient}
Action: ${action}
Status: ${status}
Remote-MTA: dns; mail.example.eu
Diagnostic-Code: ${diagnostic}
${
  quotedMessageId === null
    ? ""
    : `
--${boundary}
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

${quotedHeaders ?? originalHeaders({ recipient, messageId: quotedMessageId })}
`
}
--${boundary}--
`);
};

/** An abuse report (RFC 5965 ARF) as a mailbox provider's feedback loop sends it, with the whole original message. */
export const abuseReport = ({
  notificationId,
  recipient,
  feedbackType = "abuse",
  verp = verpFor(notificationId),
  quotedMessageId = messageIdFor(notificationId),
}: { notificationId: string; recipient: string; feedbackType?: string } & TQuoted) => {
  const boundary = `arf_${randomUUID()}`;
  return crlf(`From: Feedback Loop <fbl@mail.example.eu>
To: ${verp}
Subject: FW: How we use your posts to train AI, and how to object
Date: Mon, 30 Nov 2026 04:10:00 +0000
Message-ID: <${randomUUID()}@fbl.example.eu>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
 boundary="${boundary}"

--${boundary}
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP
192.0.2.10 on Mon, 30 Nov 2026 03:00:01 +0000.
For more information about this format please see RFC 5965.

--${boundary}
Content-Type: message/feedback-report

Feedback-Type: ${feedbackType}
User-Agent: ExampleMail-Feedback/2.1
Version: 1
Original-Mail-From: <${verp}>
Original-Rcpt-To: <${recipient}>
Arrival-Date: Mon, 30 Nov 2026 03:00:01 +0000
Reporting-MTA: dns; fbl.example.eu
Source-IP: 192.0.2.10
Authentication-Results: mail.example.eu; dkim=pass header.d=objection.test
Reported-Domain: objection.test

${
  quotedMessageId === null
    ? ""
    : `--${boundary}
Content-Type: message/rfc822
Content-Disposition: inline

${originalHeaders({ recipient, messageId: quotedMessageId, returnPath: verp })}

----notice
Content-Type: text/plain; charset=utf-8

You can object to the use of your posts for AI training.
----notice--

`
}--${boundary}--
`);
};

/**
 * A self-signed certificate for BOUNCE_DOMAIN (and localhost, 127.0.0.1), valid from 2020 to 2120, and
 * its P-256 key: for tests only (made with openssl ca -selfsign, which can date it back).
 */
export const TEST_BOUNCE_TLS = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg86a2rGW44Q3lMNpV
Be83MDsGuK7opB6APJiatmapfvShRANCAASR1/TzLlEQ2T7uN9DsEskI50pjNy4x
tu0L62Ptt2N4hj8AhOw0OHcucJb5foRGPVtNbQr3xiarpJnpOxMN60Zo
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBvDCCAWOgAwIBAgIBATAKBggqhkjOPQQDAjAhMR8wHQYDVQQDDBZib3VuY2Vz
Lm9iamVjdGlvbi50ZXN0MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAw
WjAhMR8wHQYDVQQDDBZib3VuY2VzLm9iamVjdGlvbi50ZXN0MFkwEwYHKoZIzj0C
AQYIKoZIzj0DAQcDQgAEkdf08y5RENk+7jfQ7BLJCOdKYzcuMbbtC+tj7bdjeIY/
AITsNDh3LnCW+X6ERj1bTW0K98Ymq6SZ6TsTDetGaKOBiTCBhjAyBgNVHREEKzAp
ghZib3VuY2VzLm9iamVjdGlvbi50ZXN0gglsb2NhbGhvc3SHBH8AAAEwDwYDVR0T
AQH/BAUwAwEB/zALBgNVHQ8EBAMCAoQwEwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYD
VR0OBBYEFJeolmmPVNo5wpe9tO5H1gQx+CtgMAoGCCqGSM49BAMCA0cAMEQCIA0y
uhMGwGb6CQiIDTd1bNcNuDKNl5MnP4ZCCLXnUIkNAiAGvE5f10vPwaIeAIxeArJL
YUorM9zJqlEo00LlIOMpRA==
-----END CERTIFICATE-----
`,
};

/**
 * Sends a raw message over SMTP with a null sender, as bounces are; rejects with the server's refusal.
 * With `ca`, the client must upgrade with STARTTLS and trust only that certificate, or it sends nothing.
 */
export const sendReport = async ({ port, to, raw, ca }: { port: number; to: string[]; raw: string; ca?: string }) => {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    ...(ca ? { requireTLS: true, tls: { ca, servername: BOUNCE_DOMAIN } } : { ignoreTLS: true }),
  });
  try {
    return await transport.sendMail({ envelope: { from: "", to }, raw });
  } finally {
    transport.close();
  }
};
