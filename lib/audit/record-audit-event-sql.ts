import "server-only";

import type { TAuditEntry } from "@/lib/audit/record-audit-event";

type TQueryable = { query: (text: string, values: unknown[]) => Promise<unknown> };

/**
 * recordAuditEvent for code that runs its transaction on a raw `pg` client (bulk paths): the
 * event commits with the action or not at all, exactly as with Prisma.
 */
export const recordAuditEventSql = async (client: TQueryable, { actor, action, target, detail }: TAuditEntry) => {
  await client.query(`INSERT INTO "AuditEvent" ("actorId", action, "targetType", "targetId", detail) VALUES ($1::uuid, $2::"AuditAction", $3::"AuditTarget", $4, $5::jsonb)`, [
    actor.id,
    action,
    target?.type ?? null,
    target?.id ?? null,
    detail === undefined ? null : JSON.stringify(detail),
  ]);
};
