import "server-only";

import type { Objection, ObjectionSource } from "@/lib/generated/prisma/client";
import { enqueueJobsSql, jobs, QUEUES } from "@/lib/jobs";
import type { TLinkSubject } from "@/lib/links/token";
import { pgPool } from "@/lib/pg";

/** The link subjects that object: a status token (`objection`) never does. */
type TObjectingSubject = TLinkSubject & { kind: "notification" | "member" };

export type TSubmitObjection = {
  /** Whom the objection is for: the notification whose link was used, or the member. */
  subject: TObjectingSubject;
  /** For a member subject; a notification's own channel says where its link was sent. */
  source?: ObjectionSource;
  country: string;
  reason?: string;
};

const SUBJECT_SQL = {
  notification: `
    SELECT m.id AS "memberId", m.email, n.id AS "notificationId",
           (CASE n.channel WHEN 'in_app' THEN 'in_app_link' ELSE 'email_link' END)::"ObjectionSource" AS source
      FROM "Notification" n JOIN "Member" m ON m.id = n."memberId"
     WHERE n.id = $1::uuid`,
  member: `SELECT m.id AS "memberId", m.email, NULL::uuid AS "notificationId", $4::"ObjectionSource" AS source FROM "Member" m WHERE m.id = $1::uuid`,
} as const satisfies Record<TObjectingSubject["kind"], string>;

// One statement, so one round trip and one implicit transaction: the objection, its first audit
// event and its receipt job are stored together or not at all. This is the hot path when a
// campaign's clicks arrive in bursts; seven Prisma round trips cost about ten times the CPU.
// The partial unique index allows one live objection per member: a repeat, even a concurrent one
// (ON CONFLICT waits for it to commit), inserts nothing and returns no row.
// A named statement: each connection parses it once, then sends only the values (the pool plans
// it afresh each time; see lib/pg.ts).
const submitSql = (kind: TObjectingSubject["kind"]) => `
  WITH subject AS (${SUBJECT_SQL[kind]}
  ), created AS (
    INSERT INTO "Objection" ("memberId", "notificationId", email, country, reason, source, status)
    SELECT "memberId", "notificationId", email, $2, $3, source, 'effective' FROM subject
    ON CONFLICT ("memberId") WHERE status = 'effective' DO NOTHING
    RETURNING *
  ), event AS (
    INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail)
    SELECT id, 'created', 'member', "memberId"::text, jsonb_build_object('source', source) FROM created
  ), receipt AS (
    SELECT jsonb_build_object('objectionId', id) AS data FROM created
  ), receipt_job AS (${enqueueJobsSql({ queue: QUEUES.objectionReceipt.name, from: "receipt" })}
  )
  SELECT * FROM created`;

const SUBMIT_SQL = { notification: submitSql("notification"), member: submitSql("member") } as const;

/** The member's live objection when nothing was inserted; no row at all when the subject does not exist. */
const EXISTING_SQL = {
  notification: `SELECT o.* FROM "Notification" n LEFT JOIN "Objection" o ON o."memberId" = n."memberId" AND o.status = 'effective' WHERE n.id = $1::uuid`,
  member: `SELECT o.* FROM "Member" m LEFT JOIN "Objection" o ON o."memberId" = m.id AND o.status = 'effective' WHERE m.id = $1::uuid`,
} as const satisfies Record<TObjectingSubject["kind"], string>;

export type TSubmitResult = { status: "created" | "existing"; objection: Objection } | { status: "unknown_subject" };

/**
 * Stores an objection, effective at once, with its first audit event and its receipt job: all
 * three or none. A repeat, even a concurrent one, returns the stored objection.
 */
export const submitObjection = async ({ subject, source = "direct", country, reason }: TSubmitObjection): Promise<TSubmitResult> => {
  // The receipt queue exists once pg-boss has started (it creates its queues); started once per process.
  await jobs();
  const values = [subject.id, country, reason ?? null, ...(subject.kind === "member" ? [source] : [])];
  const created = (await pgPool().query<Objection>({ name: `submit-objection-${subject.kind}`, text: SUBMIT_SQL[subject.kind], values })).rows[0];
  if (created) return { status: "created", objection: created };

  // A repeat, or a concurrent submission that won the race (committed before ON CONFLICT returned).
  const { rows } = await pgPool().query<Objection>(EXISTING_SQL[subject.kind], [subject.id]);
  if (rows.length === 0) return { status: "unknown_subject" };
  if (!rows[0]?.id) throw new Error("An objection conflicted, yet no live objection was found");
  return { status: "existing", objection: rows[0] };
};
