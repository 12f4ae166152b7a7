import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import type { TMemberInput } from "@/lib/members/schema";
import { pgPool } from "@/lib/pg";
import { type TUpsertedMemberRow, UPSERT_MEMBERS_SQL } from "@/lib/members/member-sql";

/** Inserts or updates every member in one statement: all of them or, on an error, none. Only the platform syncs its members. */
export const upsertMembers = async ({ actor, members }: { actor: TActor; members: TMemberInput[] }) => {
  assertActorKind(actor, "platform");
  const { rows } = await pgPool().query<TUpsertedMemberRow>(UPSERT_MEMBERS_SQL, [
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
