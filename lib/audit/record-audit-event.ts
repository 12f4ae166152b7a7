import "server-only";

import { actorColumns, type TActor } from "@/lib/auth/actor";
import type { AuditAction, AuditTarget } from "@/lib/generated/prisma/enums";
import type { InputJsonValue, TransactionClient } from "@/lib/generated/prisma/internal/prismaNamespace";

export type TAuditEntry = {
  actor: TActor;
  action: AuditAction;
  target?: { type: AuditTarget; id: string };
  /** Never an email address or a reason's text: ids, counts, filters, roles. */
  detail?: InputJsonValue;
};

/** Writes one audit event on the caller's transaction, so the event and the action commit together or not at all. */
export const recordAuditEvent = async (tx: Pick<TransactionClient, "auditEvent">, { actor, action, target, detail }: TAuditEntry) => {
  await tx.auditEvent.create({ data: { ...actorColumns(actor), action, targetType: target?.type, targetId: target?.id, detail } });
};
