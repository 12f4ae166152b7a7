import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll } from "vitest";

import { closeMailTransport } from "@/lib/mail/transport";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";

const isTo = (message: ParsedMail, address: string) => !!message.to && !Array.isArray(message.to) && message.to.value.some((to) => to.address === address);

/**
 * A real SMTP sink for one test file: started before its tests, before anything calls env(), so the
 * file's mail goes to it alone; stopped, with the app's transport, after them.
 */
export const fileSmtpSink = () => {
  let sink: TSmtpSink | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink();
    process.env.SMTP_URL = sink.url;
  });
  afterAll(async () => {
    closeMailTransport();
    await sink?.stop();
  });
  const messages = () => sink?.messages ?? [];
  return { messages, messagesTo: (address: string) => messages().filter((message) => isTo(message, address)) };
};
