import "server-only";

import type { Objection, ObjectionSource } from "@/lib/generated/prisma/client";
import { enqueueJobsSql, jobs, QUEUES } from "@/lib/jobs";
import type { TLinkSubject } from "@/lib/links/token";
import { pgPool } from "@/lib/pg";

export type TSubmitObjection = {
  /** Whom the objection is for: the notification whose link was used, or the member. */
  subject: TLinkSubject;
  /** For a member subject; a notification's own channel says where its link was sent. */
  source?: ObjectionSource;
  country: string;
  reason?: string;
};

export type TSubmitResult = { status: "created" | "existing"; objection: Objection } | { status: "unknown_subject" };

// One statement, so one round trip and one implicit transaction: the objection, its first audit
// event and its receipt job are stored together or not at all. This is the hot path when a
// campaign's clicks arrive in bursts; seven Prisma round trips cost about ten times the CPU.
// The partial unique index allows one live objection per member: a repeat, even a concurrent one
// (ON CONFLICT waits for it to commit), inserts nothing, and the member's objection is returned.
const SUBMIT_SQL = `
  WITH subject AS (
    SELECT m.id AS "memberId", m.email, n.id AS "notificationId",
           (CASE n.channel WHEN 'in_app' THEN 'in_app_link' ELSE 'email_link' END)::"ObjectionSource" AS source
      FROM "Notification" n JOIN "Member" m ON m.id = n."memberId"
     WHERE $1::text = 'notification' AND n.id = $2::uuid
    UNION ALL
    SELECT m.id, m.email, NULL::uuid, $3::"ObjectionSource"
      FROM "Member" m
     WHERE $1::text = 'member' AND m.id = $2::uuid
  ), created AS (
    INSERT INTO "Objection" ("memberId", "notificationId", email, country, reason, source, status)
    SELECT "memberId", "notificationId", email, $4, $5, source, 'effective' FROM subject
    ON CONFLICT ("memberId") WHERE status = 'effective' DO NOTHING
    RETURNING *
  ), event AS (
    INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail)
    SELECT id, 'created', 'member', "memberId"::text, jsonb_build_object('source', source) FROM created
  ), receipt AS (
    SELECT jsonb_build_object('objectionId', id) AS data FROM created
  ), receipt_job AS (${enqueueJobsSql({ queue: QUEUES.objectionReceipt.name, from: "receipt" })}
  )
  SELECT 'created' AS outcome, created.* FROM created
  UNION ALL
  SELECT 'existing', o.* FROM "Objection" o JOIN subject s ON o."memberId" = s."memberId" WHERE o.status = 'effective'
  UNION ALL
  SELECT 'subject', o.* FROM subject LEFT JOIN "Objection" o ON false`;

const LIVE_OBJECTION_SQL = `
  SELECT o.* FROM "Objection" o
    JOIN "Notification" n ON n."memberId" = o."memberId" AND $1::text = 'notification' AND n.id = $2::uuid
   WHERE o.status = 'effective'
  UNION ALL
  SELECT o.* FROM "Objection" o WHERE $1::text = 'member' AND o."memberId" = $2::uuid AND o.status = 'effective'`;

type TOutcomeRow = Objection & { outcome: "created" | "existing" | "subject" };

/**
 * Stores an objection, effective at once, with its first audit event and its receipt job: all
 * three or none. A repeat, even a concurrent one, returns the stored objection.
 */
export const submitObjection = async ({ subject, source = "direct", country, reason }: TSubmitObjection): Promise<TSubmitResult> => {
  // The receipt queue exists once pg-boss has started (it creates its queues); started once per process.
  await jobs();
  const { rows } = await pgPool().query<TOutcomeRow>(SUBMIT_SQL, [subject.kind, subject.id, source, country, reason ?? null]);
  const pick = (outcome: TOutcomeRow["outcome"]) => rows.find((row) => row.outcome === outcome);
  const withoutOutcome = (row: TOutcomeRow) => Object.fromEntries(Object.entries(row).filter(([column]) => column !== "outcome")) as Objection;

  const created = pick("created");
  if (created) return { status: "created", objection: withoutOutcome(created) };
  const existing = pick("existing");
  if (existing) return { status: "existing", objection: withoutOutcome(existing) };
  if (!pick("subject")) return { status: "unknown_subject" };

  // A concurrent submission won the race: committed now, but after this statement's snapshot.
  const winner = (await pgPool().query<Objection>(LIVE_OBJECTION_SQL, [subject.kind, subject.id])).rows[0];
  if (!winner) throw new Error("An objection conflicted, yet no live objection was found");
  return { status: "existing", objection: winner };
};
