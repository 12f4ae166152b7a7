import "server-only";

import { assertRole } from "@/lib/auth/actor";
import type { TAdminActor } from "@/lib/auth/roles";

/**
 * Who runs a campaign command: the platform's servers through /api/v1 (their bearer token is the
 * check), or an admin in the console, who needs the admin role and leaves an audit event.
 */
export type TCampaignActor = TAdminActor | "platform";

export const PLATFORM_ACTOR = "platform" as const satisfies TCampaignActor;

/** The admin behind a command, after checking the role; null for the platform. */
export const adminBehind = (actor: TCampaignActor): TAdminActor | null => {
  if (actor === PLATFORM_ACTOR) return null;
  assertRole(actor, "admin");
  return actor;
};
