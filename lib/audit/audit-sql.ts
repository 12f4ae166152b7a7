import "server-only";

/**
 * One audit event. Raw SQL rather than `auditEvent.create`, so that the one recorder writes on
 * either style's transaction (lib/pg-tx.ts). Values: actorType, actorId, action, targetType,
 * targetId, detail (JSON text or null).
 */
export const INSERT_AUDIT_EVENT_SQL = `
  INSERT INTO "AuditEvent" ("actorType", "actorId", action, "targetType", "targetId", detail)
  VALUES ($1::"ActorType", $2::uuid, $3::"AuditAction", $4::"AuditTarget", $5, $6::jsonb)`;
