import type { AddressInfo } from "node:net";

import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** Answers a recipient with an SMTP error (e.g. 550 or 451), or accepts it (null). */
export type TRecipientPolicy = (address: string) => { code: number; message: string } | null;

/** A real SMTP server on loopback that keeps what it receives, for tests; `holdRecipient` holds a recipient's answer until its promise settles (a slow server, as long as the test needs). */
export const startSmtpSink = async ({ port = 0, recipientPolicy, holdRecipient }: { port?: number; recipientPolicy?: TRecipientPolicy; holdRecipient?: (address: string) => Promise<void> | null } = {}) => {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    onRcptTo: (address, _session, callback) => {
      const refusal = recipientPolicy?.(address.address);
      const answer = () => (refusal ? callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code })) : callback());
      const held = holdRecipient?.(address.address);
      if (held) void held.finally(answer);
      else answer();
    },
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  // A client that is killed mid-session resets its socket: expected in fault tests, not a failure.
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") console.error(`[smtp-sink] ${error.message}`);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const boundPort = (server.server.address() as AddressInfo).port;
  return {
    port: boundPort,
    url: `smtp://127.0.0.1:${boundPort}`,
    messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type TSmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;
