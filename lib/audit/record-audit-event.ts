import "server-only";

import { INSERT_AUDIT_EVENT_SQL } from "@/lib/audit/audit-sql";
import { actorColumns, type TActor } from "@/lib/auth/actor";
import type { TAdminActor } from "@/lib/auth/roles";
import type { AuditAction, AuditTarget } from "@/lib/generated/prisma/enums";
import type { InputJsonValue } from "@/lib/generated/prisma/internal/prismaNamespace";
import { sqlOn, type TTx } from "@/lib/pg-tx";

export type TAuditEntry = {
  /** An admin given as `{ id }` alone is an admin actor. */
  actor: TActor | Pick<TAdminActor, "id">;
  action: AuditAction;
  target?: { type: AuditTarget; id: string };
  /** Never an email address or a reason's text: ids, counts, filters, roles. */
  detail?: InputJsonValue;
};

export const auditActorColumns = (actor: TAuditEntry["actor"]) => ("kind" in actor ? actorColumns(actor) : { actorType: "admin" as const, actorId: actor.id });

/**
 * Writes one audit event on the caller's transaction, Prisma's or a `pg` client's, so the event
 * and the action commit together or not at all.
 */
export const recordAuditEvent = async (tx: TTx, { actor, action, target, detail }: TAuditEntry) => {
  const { actorType, actorId } = auditActorColumns(actor);
  await sqlOn(tx).query(INSERT_AUDIT_EVENT_SQL, [actorType, actorId, action, target?.type ?? null, target?.id ?? null, detail === undefined ? null : JSON.stringify(detail)]);
};
