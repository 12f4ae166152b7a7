import "server-only";

import { INSERT_AUDIT_EVENT_SQL } from "@/lib/audit/audit-sql";
import type { TActor, TMemberActor } from "@/lib/auth/actor";
import type { AuditAction, AuditTarget } from "@/lib/generated/prisma/enums";
import type { InputJsonValue } from "@/lib/generated/prisma/internal/prismaNamespace";
import { sqlOn, type TTx } from "@/lib/pg-tx";

/** Who an audit event names: staff, the platform, or the system; a member's acts are objection events. */
export type TAuditActor = Exclude<TActor, TMemberActor>;

export type TAuditEntry = {
  actor: TAuditActor;
  action: AuditAction;
  target?: { type: AuditTarget; id: string };
  /** Never an email address or a reason's text: ids, counts, filters, roles. */
  detail?: InputJsonValue;
};

/**
 * Writes one audit event on the caller's transaction, Prisma's or a `pg` client's, so the event
 * and the action commit together or not at all.
 */
export const recordAuditEvent = async (tx: TTx, { actor, action, target, detail }: TAuditEntry) => {
  const actorId = actor.kind === "admin" ? actor.id : null;
  const actorJob = actor.kind === "system" ? actor.job : null;
  await sqlOn(tx).query(INSERT_AUDIT_EVENT_SQL, [actor.kind, actorId, actorJob, action, target?.type ?? null, target?.id ?? null, detail === undefined ? null : JSON.stringify(detail)]);
};
