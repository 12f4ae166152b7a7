import "server-only";

import { enqueueJobsSql, jobs, QUEUES } from "@/lib/jobs";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { pgPool } from "@/lib/pg";

/** How long a link for an address without an account objects; its row is deleted after. */
export const ADDRESS_LINK_TTL_DAYS = 7;

export type TObjectionLinkJob = { addressLinkId: string };

// One statement for every address, known or not: the address is kept for the worker (the job
// itself carries only the row's id, so queue tables hold no address) and the job is queued with it.
const REQUEST_SQL = `
  WITH link AS (
    INSERT INTO "AddressLink" (email, locale, country, "expiresAt")
    VALUES ($1, $2, $3, now() + $4 * interval '1 day')
    RETURNING jsonb_build_object('addressLinkId', id) AS data
  ), job AS (${enqueueJobsSql({ queue: QUEUES.objectionLinkRequest.name, from: "link" })}
  )
  SELECT 1`;

/**
 * Queues the email an /object request sends. It looks up nothing: whether an account uses the
 * address is the worker's business, so this takes the same time for every address.
 */
export const requestObjectionLink = async ({ email, locale, country }: { email: string; locale: string; country: string | null }) => {
  // The queue exists once pg-boss has started (it creates its queues); started once per process.
  await jobs();
  await pgPool().query({ name: "request-objection-link", text: REQUEST_SQL, values: [normaliseEmail(email), locale, country, ADDRESS_LINK_TTL_DAYS] });
};
