import "server-only";

import { createElement } from "react";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { redactAddresses, sendEmail } from "@/lib/mail";

import { ADMIN_SIGN_IN_SUBJECT, AdminSignIn } from "@/emails/admin-sign-in";

export const SIGN_IN_LINK_MINUTES = 15;

/** Auth.js puts the address in the link's query; an address never belongs in a URL, and the token alone finds it. */
export const signInUrlWithoutAddress = (url: string) => {
  const link = new URL(url);
  link.searchParams.delete("email");
  return link.toString();
};

/** Only the admin-sign-in job sends it, once it has found the address behind the link's token. */
export const sendSignInEmail = async ({ actor, to, url }: { actor: TActor; to: string; url: string }) => {
  assertActorKind(actor, "system");
  const email = createElement(AdminSignIn, { signInUrl: signInUrlWithoutAddress(url), minutesValid: SIGN_IN_LINK_MINUTES });
  try {
    await sendEmail({ to, subject: ADMIN_SIGN_IN_SUBJECT, email });
  } catch (error) {
    // Auth.js logs what this throws: an SMTP reply often quotes the recipient.
    throw new Error(`The sign-in email was not sent: ${redactAddresses(error instanceof Error ? error.message : String(error))}`);
  }
};
