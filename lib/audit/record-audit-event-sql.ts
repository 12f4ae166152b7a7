import "server-only";

import type { TAuditEntry } from "@/lib/audit/record-audit-event";
import { actorColumns } from "@/lib/auth/actor";

type TQueryable = { query: (text: string, values: unknown[]) => Promise<unknown> };

/**
 * recordAuditEvent for code that runs its transaction on a raw `pg` client (bulk paths): the
 * event commits with the action or not at all, exactly as with Prisma.
 */
export const recordAuditEventSql = async (client: TQueryable, { actor, action, target, detail }: TAuditEntry) => {
  const { actorType, actorId } = actorColumns(actor);
  await client.query(`INSERT INTO "AuditEvent" ("actorType", "actorId", action, "targetType", "targetId", detail) VALUES ($1::"ActorType", $2::uuid, $3::"AuditAction", $4::"AuditTarget", $5, $6::jsonb)`, [
    actorType,
    actorId,
    action,
    target?.type ?? null,
    target?.id ?? null,
    detail === undefined ? null : JSON.stringify(detail),
  ]);
};
