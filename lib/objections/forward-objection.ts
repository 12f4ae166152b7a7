import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { submitObjection } from "@/lib/objections/submit-objection";

/**
 * Records an objection the platform saw (a settings toggle, a GPC signal); same rules as the form.
 * Only the platform forwards; its `created` event names the platform: the member did not use our form.
 */
export const forwardObjection = async ({ actor, externalId, source }: { actor: TActor; externalId: string; source: "in_app_setting" | "gpc" }) => {
  assertActorKind(actor, "platform");
  const member = await db().member.findUnique({ where: { externalId }, select: { id: true, country: true } });
  if (!member) return null;
  const result = await submitObjection({ subject: { kind: "member", id: member.id }, source, country: member.country, actor });
  if (result.status === "unknown_subject") return null;
  return { objection: result.objection, created: result.status === "created" };
};
