import "server-only";

import { actorColumns, type TActor } from "@/lib/auth/actor";
import type { TAdminActor } from "@/lib/auth/roles";
import type { AuditAction, AuditTarget } from "@/lib/generated/prisma/enums";
import type { InputJsonValue, TransactionClient } from "@/lib/generated/prisma/internal/prismaNamespace";

export type TAuditEntry = {
  /** An admin given as `{ id }` alone is an admin actor. */
  actor: TActor | Pick<TAdminActor, "id">;
  action: AuditAction;
  target?: { type: AuditTarget; id: string };
  /** Never an email address or a reason's text: ids, counts, filters, roles. */
  detail?: InputJsonValue;
};

export const auditActorColumns = (actor: TAuditEntry["actor"]) => ("kind" in actor ? actorColumns(actor) : { actorType: "admin" as const, actorId: actor.id });

/** Writes one audit event on the caller's transaction, so the event and the action commit together or not at all. */
export const recordAuditEvent = async (tx: Pick<TransactionClient, "auditEvent">, { actor, action, target, detail }: TAuditEntry) => {
  await tx.auditEvent.create({ data: { ...auditActorColumns(actor), action, targetType: target?.type, targetId: target?.id, detail } });
};
