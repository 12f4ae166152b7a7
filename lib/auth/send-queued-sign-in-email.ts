import "server-only";

import { createHash } from "node:crypto";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { mayHaveAccount } from "@/lib/auth/may-have-account";
import type { TSignInEmailJob } from "@/lib/auth/queue-sign-in-email";
import { sendSignInEmail } from "@/lib/auth/send-sign-in-email";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export type TSignInEmailOutcome = "sent" | "not_an_admin" | "expired" | "no_token";

/** The token's row as Auth.js stored it: a SHA-256 of the token and the secret, in hex. */
const storedToken = (token: string) =>
  createHash("sha256")
    .update(`${token}${env().AUTH_SECRET ?? ""}`)
    .digest("hex");

/**
 * The admin-sign-in job. The link's token finds its row, and the row the address. An address that
 * may sign in gets the email; any other has its token deleted and gets nothing, which the request
 * could not tell apart. Throws while the row is missing: Auth.js stores it beside the job, so it
 * can be a moment behind; a retry finds it.
 */
export const sendQueuedSignInEmail = async ({ actor, url }: TSignInEmailJob & { actor: TActor }): Promise<TSignInEmailOutcome> => {
  assertActorKind(actor, "system");
  const token = URL.canParse(url) ? new URL(url).searchParams.get("token") : null;
  if (!token) return "no_token";
  const row = await db().adminVerificationToken.findUnique({ where: { token: storedToken(token) } });
  if (!row) throw new Error("The sign-in token is not stored yet, or was used: tried again shortly.");
  if (row.expires <= new Date()) {
    await db().adminVerificationToken.deleteMany({ where: { token: row.token } });
    return "expired";
  }
  if (!(await mayHaveAccount(row.identifier))) {
    await db().adminVerificationToken.deleteMany({ where: { token: row.token } });
    return "not_an_admin";
  }
  await sendSignInEmail({ actor, to: row.identifier, url });
  return "sent";
};
