import "server-only";

import pThrottle from "p-throttle";

import { env } from "@/lib/env";
import { mailTransport, presignedMailTransport } from "@/lib/mail/transport";

// The campaign's transport: every notice goes out through here, at the rate MAIL_RATE_PER_SEC allows.

export type TMessage = Parameters<ReturnType<typeof mailTransport>["sendMail"]>[0];

type TSent = Awaited<ReturnType<ReturnType<typeof mailTransport>["sendMail"]>>;

let throttle: ((run: () => Promise<TSent>) => Promise<TSent>) | undefined;

/**
 * Sends at no more than MAIL_RATE_PER_SEC (0: as fast as it goes): a raw notice that carries its
 * DKIM signature already through the transport that does not sign again, anything else through the
 * one that signs.
 */
export const send = (message: TMessage, { presigned }: { presigned: boolean }) => {
  if (!throttle) {
    const rate = env().MAIL_RATE_PER_SEC;
    const run = (sendOne: () => Promise<TSent>) => sendOne();
    throttle = rate > 0 ? pThrottle({ limit: rate, interval: 1000 })(run) : run;
  }
  return throttle(() => (presigned ? presignedMailTransport() : mailTransport()).sendMail(message));
};
