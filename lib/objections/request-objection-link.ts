import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { jobs } from "@/lib/jobs";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { REQUEST_OBJECTION_LINK_SQL } from "@/lib/objections/objection-sql";
import { pgPool } from "@/lib/pg";

/** How long a link for an address without an account objects; its row is deleted after. */
export const ADDRESS_LINK_TTL_DAYS = 7;

export type TObjectionLinkJob = { addressLinkId: string };

/**
 * Queues the email an /object request sends. It looks up nothing: whether an account uses the
 * address is the worker's business, so this takes the same time for every address. The one asking
 * is whoever will hold the link (LINK_HOLDER): the address, not the actor, says whom it is for.
 */
export const requestObjectionLink = async ({ actor, email, locale, country }: { actor: TActor; email: string; locale: string; country: string | null }) => {
  assertActorKind(actor, "member");
  // The queue exists once pg-boss has started (it creates its queues); started once per process.
  await jobs();
  await pgPool().query(REQUEST_OBJECTION_LINK_SQL, [normaliseEmail(email), locale, country, ADDRESS_LINK_TTL_DAYS]);
};
