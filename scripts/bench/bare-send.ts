// The baseline: a bare nodemailer pooled send loop tuned for speed (TCP_NODELAY, 20 connections),
// sending the same rendered notice to the same sink. Prints `{"sent":N,"seconds":S}`. With
// DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY set (campaign.ts --dkim), it signs each email as
// the worker does, with nodemailer's own dkim option.
import { createPrivateKey } from "node:crypto";
import { connect } from "node:net";

import { render } from "@react-email/render";
import nodemailer from "nodemailer";
import { createElement } from "react";

import { PREVIEW_BRAND } from "../../emails/layout";
import { ObjectionNotice, objectionNoticeSubject } from "../../emails/objection-notice";
import en from "../../messages/en.json";

const port = Number(process.env.SINK_PORT ?? 2626);
const total = Number(process.env.BARE_MESSAGES ?? 30_000);
const inFlight = 200;

const main = async () => {
  const element = createElement(ObjectionNotice, { locale: "en", messages: en, brand: PREVIEW_BRAND, linkUrl: "http://localhost:3000/o/AQDoHP2DNa9ENpLmoeZnWUl9a4I5I3vWZR-XwLgH-Y30zWUliYzcBXR5GLZxI35gOgwKL-Ze" });
  const html = await render(element);
  const text = await render(element, { plainText: true });
  const subject = objectionNoticeSubject({ locale: "en", messages: en, brand: PREVIEW_BRAND });
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    pool: true,
    maxConnections: 20,
    maxMessages: Infinity,
    dkim: process.env.DKIM_PRIVATE_KEY
      ? {
          domainName: process.env.DKIM_DOMAIN ?? "",
          keySelector: process.env.DKIM_SELECTOR ?? "",
          // Parsed once, as lib/mail/transport.ts does: a PEM string would be parsed again for every signature.
          privateKey: createPrivateKey(process.env.DKIM_PRIVATE_KEY) as unknown as string,
        }
      : undefined,
    getSocket: (options: { host?: string; port?: number }, callback: (error: Error | null, socket?: { connection: ReturnType<typeof connect> }) => void) => {
      const socket = connect({ host: options.host, port: options.port ?? port });
      socket.setNoDelay(true);
      callback(null, { connection: socket });
    },
  });

  let next = 0;
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < total) {
      const n = next++;
      await transport.sendMail({ from: "bench@objection.test", to: `member-${n}@example.eu`, subject, html, text });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  transport.close();
  console.log(JSON.stringify({ sent: total, seconds }));
};

void main();
