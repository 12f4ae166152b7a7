import "server-only";

import { actorColumns, assertActorKind, type TActor } from "@/lib/auth/actor";
import type { Objection, ObjectionSource } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { enqueueJobsSql, jobs, QUEUES } from "@/lib/jobs";
import type { TLinkSubject } from "@/lib/links/token";
import { LIVE_STATUS, liveObjectionConflictSql, liveObjectionSql } from "@/lib/objections/live-objection";
import { pgPool } from "@/lib/pg";
import { webhookOutboxCtes } from "@/lib/webhooks/webhook-outbox-sql";

/** The link subjects that object: a status token (`objection`) never does. */
type TObjectingSubject = TLinkSubject & { kind: "notification" | "member" | "address" };

export type TSubmitObjection = {
  /** Whom the objection is for: the notification whose link was used, the member, or an address without an account (an /object link). */
  subject: TObjectingSubject;
  /** For a member subject; a notification's own channel says where its link was sent. */
  source?: ObjectionSource;
  country: string;
  reason?: string;
  /** Who objected, for the `created` event: the person behind the link (LINK_HOLDER), or the platform forwarding what it saw (a setting, a GPC signal). */
  actor: TActor;
};

// `locale` is for the receipt of an objection without an account: a member's receipt reads the member's.
const SUBJECT_SQL = {
  notification: `
    SELECT m.id AS "memberId", m.email, n.id AS "notificationId", n."campaignId",
           (CASE n.channel WHEN 'in_app' THEN 'in_app_link' ELSE 'email_link' END)::"ObjectionSource" AS source, NULL::text AS locale
      FROM "Notification" n JOIN "Member" m ON m.id = n."memberId"
     WHERE n.id = $1::uuid`,
  member: `SELECT m.id AS "memberId", m.email, NULL::uuid AS "notificationId", NULL::uuid AS "campaignId", $4::"ObjectionSource" AS source, NULL::text AS locale FROM "Member" m WHERE m.id = $1::uuid`,
  address: `
    SELECT NULL::uuid AS "memberId", a.email, NULL::uuid AS "notificationId", NULL::uuid AS "campaignId", 'direct'::"ObjectionSource" AS source, a.locale
      FROM "AddressLink" a
     WHERE a.id = $1::uuid AND a."expiresAt" > now()`,
} as const satisfies Record<TObjectingSubject["kind"], string>;

// One live objection per member; for an address without an account, one live direct objection per address.
const CONFLICT_SQL = {
  notification: liveObjectionConflictSql("member"),
  member: liveObjectionConflictSql("member"),
  address: liveObjectionConflictSql("address"),
} as const satisfies Record<TObjectingSubject["kind"], string>;

// One statement, so one round trip and one implicit transaction: the objection, its first audit
// event, its receipt job and its webhook event (the outbox) are stored together or not at all. This is the hot path when a
// campaign's clicks arrive in bursts; seven Prisma round trips cost about ten times the CPU.
// The partial unique index allows one live objection per member: a repeat, even a concurrent one
// (ON CONFLICT waits for it to commit), inserts nothing and returns no row.
// Sent unnamed, so it works through PgBouncer in transaction mode and PostgreSQL plans it with its
// values each time (lib/pg.ts; scripts/bench/pgbouncer.ts measures the cost).
// The event's actor columns come last ($5, $6; one place earlier without a member's source): a
// member's event names the subject's member, any other actor's the id its columns give. The
// receipt job's expiry (RECEIPT_EXPIRE_SECONDS) comes after them.
const submitSql = (kind: TObjectingSubject["kind"], actorAt = kind === "member" ? 5 : 4) => `
  WITH subject AS (${SUBJECT_SQL[kind]}
  ), created AS (
    INSERT INTO "Objection" ("memberId", "notificationId", "campaignId", email, country, reason, source, status)
    SELECT "memberId", "notificationId", "campaignId", email, $2, $3, source, '${LIVE_STATUS}' FROM subject
    ON CONFLICT ${CONFLICT_SQL[kind]} DO NOTHING
    RETURNING *
  ), event AS (
    INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail)
    SELECT id, 'created', $${actorAt}::"ActorType", CASE WHEN $${actorAt}::"ActorType" = 'member' THEN "memberId"::text ELSE $${actorAt + 1}::text END,
           jsonb_build_object('source', source)
      FROM created
  ), receipt AS (
    SELECT jsonb_strip_nulls(jsonb_build_object('objectionId', created.id, 'locale', subject.locale)) AS data FROM created, subject
  ), receipt_job AS (${enqueueJobsSql({ queue: QUEUES.objectionReceipt.name, from: "receipt", expireSeconds: `$${actorAt + 2}::int` })}
  )${webhookOutboxCtes({ type: "objection.effective", from: "created" })}
  SELECT * FROM created`;

const SUBMIT_SQL = {
  notification: submitSql("notification"),
  member: submitSql("member"),
  address: submitSql("address"),
} as const satisfies Record<TObjectingSubject["kind"], string>;

/** The member's live objection when nothing was inserted; no row at all when the subject does not exist. */
const EXISTING_SQL = {
  notification: `SELECT o.* FROM "Notification" n LEFT JOIN "Objection" o ON ${liveObjectionSql({ rule: "member", objection: "o", memberId: `n."memberId"` })} WHERE n.id = $1::uuid`,
  member: `SELECT o.* FROM "Member" m LEFT JOIN "Objection" o ON ${liveObjectionSql({ rule: "member", objection: "o", memberId: "m.id" })} WHERE m.id = $1::uuid`,
  address: `
    SELECT o.* FROM "AddressLink" a
      LEFT JOIN "Objection" o ON ${liveObjectionSql({ rule: "address", objection: "o", email: "a.email" })}
     WHERE a.id = $1::uuid AND a."expiresAt" > now()`,
} as const satisfies Record<TObjectingSubject["kind"], string>;

export type TSubmitResult = { status: "created" | "existing"; objection: Objection } | { status: "unknown_subject" };

// pg on purpose (lib/pg.ts): a one-statement hot path that also writes its event and job; withdrawObjection changes one row, so it is Prisma.
/**
 * Stores an objection, effective at once, with its first audit event and its receipt job: all
 * three or none. A repeat, even a concurrent one, returns the stored objection. Only the person
 * behind a link or the platform objects: any other actor is refused (AppError `forbidden`).
 */
export const submitObjection = async ({ subject, source = "direct", country, reason, actor }: TSubmitObjection): Promise<TSubmitResult> => {
  assertActorKind(actor, "member", "platform");
  const { actorType, actorId } = actorColumns(actor);
  // The receipt queue exists once pg-boss has started (it creates its queues); started once per process.
  await jobs();
  const values = [subject.id, country, reason ?? null, ...(subject.kind === "member" ? [source] : []), actorType, actorId, env().RECEIPT_EXPIRE_SECONDS];
  const created = (await pgPool().query<Objection>(SUBMIT_SQL[subject.kind], values)).rows[0];
  if (created) return { status: "created", objection: created };

  // A repeat, or a concurrent submission that won the race (committed before ON CONFLICT returned).
  const { rows } = await pgPool().query<Objection>(EXISTING_SQL[subject.kind], [subject.id]);
  if (rows.length === 0) return { status: "unknown_subject" };
  if (!rows[0]?.id) throw new Error("An objection conflicted, yet no live objection was found");
  return { status: "existing", objection: rows[0] };
};
