import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { signInUrlWithoutAddress } from "@/lib/auth/send-sign-in-email";
import { jobs, QUEUES } from "@/lib/jobs";

/**
 * The sign-in link, as the job carries it: the link alone, without the address (the worker reads
 * the address from the token's row), so the queue's tables never hold one. It must carry the link:
 * Auth.js stores only a hash of its token.
 */
export type TSignInEmailJob = { url: string };

/**
 * Auth.js's sendVerificationRequest: queues the email for every address, an admin's or not; the
 * worker decides. No one is signed in yet: the admin-sign-in job acts, by its rules, from here on.
 */
export const queueSignInEmail = async ({ actor, url }: { actor: TActor; url: string }) => {
  assertActorKind(actor, "system");
  const data: TSignInEmailJob = { url: signInUrlWithoutAddress(url) };
  await (await jobs()).send(QUEUES.adminSignIn.name, data);
};
