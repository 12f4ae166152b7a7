import "server-only";

import { eligibleMembersWhere } from "@/lib/campaigns/compute-audience";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { pgPool } from "@/lib/pg";

/**
 * How many members a campaign to these countries would reach if launched now: the audience job's
 * own rule, counted instead of inserted. No countries means every EEA country, as at launch.
 */
export const audienceSize = async ({ countries, at = new Date() }: { countries: readonly string[]; at?: Date }) => {
  const scope = countries.length > 0 ? [...countries] : [...EEA_COUNTRIES];
  const { rows } = await pgPool().query<{ count: string }>(`SELECT count(*) AS count FROM "Member" m WHERE ${eligibleMembersWhere({ countries: "$1", at: "$2" })}`, [scope, at]);
  return Number(rows[0]?.count ?? 0);
};
