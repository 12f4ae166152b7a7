import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import type { TMemberInput } from "@/lib/members/schema";
import { pgPool } from "@/lib/pg";

/** Inserts or updates every member in one statement: all of them or, on an error, none. Only the platform syncs its members. */
export const upsertMembers = async ({ actor, members }: { actor: TActor; members: TMemberInput[] }) => {
  assertActorKind(actor, "platform");
  const { rows } = await pgPool().query<{ created: boolean }>(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[])
     ON CONFLICT ("externalId") DO UPDATE SET
       email = EXCLUDED.email, country = EXCLUDED.country, "birthDate" = EXCLUDED."birthDate",
       locale = COALESCE(EXCLUDED.locale, "Member".locale), "updatedAt" = now()
     RETURNING (xmax = 0) AS created`,
    [
      members.map((member) => member.externalId),
      members.map((member) => member.email),
      members.map((member) => member.country),
      members.map((member) => member.birthDate),
      members.map((member) => member.locale ?? null),
    ],
  );
  const created = rows.filter((row) => row.created).length;
  return { created, updated: rows.length - created };
};
