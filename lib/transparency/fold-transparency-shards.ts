import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { pgPool } from "@/lib/pg";
import { FOLD_TRANSPARENCY_SHARDS_SQL, type TFoldedRow } from "@/lib/transparency/transparency-sql";

/** The nightly fold of past months' counter shards into one row each (FOLD_TRANSPARENCY_SHARDS_SQL); returns how many rows it folded. */
export const foldTransparencyShards = async ({ actor }: { actor: TActor }) => {
  assertActorKind(actor, "system");
  const { rows } = await pgPool().query<TFoldedRow>(FOLD_TRANSPARENCY_SHARDS_SQL);
  return rows[0]?.folded ?? 0;
};
