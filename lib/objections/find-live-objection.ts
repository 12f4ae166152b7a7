import "server-only";

import { db } from "@/lib/db";

/** The member's effective objection, if any: there is at most one (a partial unique index). */
export const findLiveObjection = (memberId: string) => db().objection.findFirst({ where: { memberId, status: "effective" } });
