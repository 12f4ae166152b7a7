import "server-only";

import { liveObjectionSql } from "@/lib/objections/live-objection";
import { webhookOutboxCtes } from "@/lib/webhooks/webhook-outbox-sql";

// The import of earlier objections' set-based statements (lib/objections/import-prior-objections.ts), with their row types.

/** A member a row of the file may name, by external id or by email. */
export type TPriorMemberRow = { id: string; externalId: string; email: string; country: string };

/** The members with any of the external ids ($1) or emails ($2). */
export const MEMBERS_BY_KEY = `SELECT id, "externalId", email, country FROM "Member" WHERE "externalId" = ANY($1::text[]) OR email = ANY($2::text[])`;

/** Which of the members ($1) have a live (effective) objection. */
export const MEMBERS_WITH_LIVE_OBJECTION = `SELECT "memberId" FROM "Objection" WHERE ${liveObjectionSql({ rule: "member", objection: "", memberId: "ANY($1::uuid[])" })}`;

/**
 * Inserts a batch, given as JSON rows ($1), with a `created` event each by the admin ($2) and its
 * `objection.effective` webhook event (the outbox); returns the ids inserted. A member who has a live objection keeps it: the partial unique index leaves
 * that row out. The conflict target is that index, the `member` rule's (lib/objections/live-objection.ts).
 */
export const INSERT_PRIOR_OBJECTIONS = `
  WITH input AS (
    SELECT * FROM json_to_recordset($1::json) AS r(id uuid, "memberId" uuid, email text, country text, reason text, "effectiveAt" timestamptz)
  ), inserted AS (
    INSERT INTO "Objection" (id, "memberId", email, country, reason, source, status, "effectiveAt")
    SELECT id, "memberId", email, country, reason, 'prior', 'effective', "effectiveAt" FROM input
    ON CONFLICT ("memberId") WHERE status = 'effective' DO NOTHING
    RETURNING id, "memberId"
  ), events AS (
    INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail)
    SELECT id, 'created', $2::"ActorType", $3::text, '{"imported":true}'::jsonb FROM inserted
  )${webhookOutboxCtes({ type: "objection.effective", from: "inserted" })}
  SELECT id::text FROM inserted`;
