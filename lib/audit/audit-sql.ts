import "server-only";

import type { ActorType, AuditTarget } from "@/lib/generated/prisma/enums";

/**
 * One audit event. Raw SQL rather than `auditEvent.create`, so that the one recorder writes on
 * either style's transaction (lib/pg-tx.ts). Values: actorType, actorId, action, targetType,
 * targetId, detail (JSON text or null).
 */
export const INSERT_AUDIT_EVENT_SQL = `
  INSERT INTO "AuditEvent" ("actorType", "actorId", "actorJob", action, "targetType", "targetId", detail)
  VALUES ($1::"ActorType", $2::uuid, $3, $4::"AuditAction", $5::"AuditTarget", $6, $7::jsonb)`;

export type TAuditEventRow = {
  id: string;
  createdAt: Date;
  action: string;
  /** Who acted: an admin, the platform (through the API), or the system by a rule. */
  actorType: ActorType;
  /** The admin's id; null for the platform and for what the system did by a rule (a campaign pausing a recipient domain). */
  actorId: string | null;
  /** The system's job that acted, by its queue's name. */
  actorJob: string | null;
  actorEmail: string | null;
  targetType: AuditTarget | null;
  targetId: string | null;
  /** What the target is called: a member's external id, a campaign's name, an admin's address; null for the rest. */
  targetName: string | null;
  /** Whether an export run or a webhook endpoint by the target's id exists (false for every other target). */
  targetExists: boolean;
  detail: unknown;
};

const UUID_TEXT = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;

/** The event's target id as a uuid when it names a `type` and is one; null otherwise, so the join finds nothing. */
const targetUuid = (type: AuditTarget) => `CASE WHEN e."targetType" = '${type}' AND e."targetId" ~ ${UUID_TEXT} THEN e."targetId"::uuid END`;

/**
 * A page of the audit trail with its actor's address and what its target is called: a member's
 * external id, a campaign's name, an admin's address, and whether an export run (or a webhook
 * endpoint, not removed) by that id exists (an export started from the console names the job that makes the run, not the run). `where`
 * holds conditions on "AuditEvent" e (their values bound by the caller), `limit` the placeholder
 * of the page size. The page is cut first, then joined: each name is one primary-key lookup.
 */
export const listAuditEventsSql = ({ where, ascending, limit }: { where: string[]; ascending: boolean; limit: string }) => `
  SELECT e.id::text AS id, e."createdAt", e.action::text AS action, e."actorType", e."actorId", e."actorJob", a.email AS "actorEmail", e."targetType", e."targetId", e.detail,
         COALESCE(m."externalId", c.name, t.email) AS "targetName", (r.id IS NOT NULL OR w.id IS NOT NULL) AS "targetExists"
    FROM (SELECT * FROM "AuditEvent" e
           ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
           ORDER BY e."createdAt" ${ascending ? "ASC" : "DESC"}, e.id ${ascending ? "ASC" : "DESC"}
           LIMIT ${limit}) e
    LEFT JOIN "AdminUser" a ON a.id = e."actorId"
    LEFT JOIN "Member" m ON m.id = ${targetUuid("member")}
    LEFT JOIN "Campaign" c ON c.id = ${targetUuid("campaign")}
    LEFT JOIN "AdminUser" t ON t.id = ${targetUuid("admin")}
    LEFT JOIN "ExportRun" r ON r.id = ${targetUuid("export")}
    LEFT JOIN "WebhookEndpoint" w ON w.id = ${targetUuid("webhook")}
   ORDER BY e."createdAt" ${ascending ? "ASC" : "DESC"}, e.id ${ascending ? "ASC" : "DESC"}`;
