import type pg from "pg";

import { jobs } from "@/lib/jobs";

import { fmt } from "../lib/report";
import { seedLinkMembers } from "../lib/seed";
import { DRAIN_JOBS, figure, RECEIPT_QUEUE } from "./config";

// ---------------------------------------------------------------------------------------------
// Nothing lost, nothing doubled.

export const checkObjections = async ({ pool, successes }: { pool: pg.Pool; successes: Set<string> }) => {
  const { rows: perMember } = await pool.query<{ memberId: string; objections: number; created: number; jobs: number }>(
    `WITH receipt_jobs AS (
       SELECT data->>'objectionId' AS "objectionId", count(*) AS n
       FROM (SELECT data FROM pgboss.job WHERE name = $1 UNION ALL SELECT data FROM pgboss.archive WHERE name = $1) AS j
       GROUP BY 1),
     created AS (SELECT "objectionId", count(*) AS n FROM "ObjectionEvent" WHERE type = 'created' GROUP BY 1)
     SELECT o."memberId", count(*)::int AS objections, coalesce(sum(c.n), 0)::int AS created, coalesce(sum(j.n), 0)::int AS jobs
     FROM "Objection" o
     LEFT JOIN created c ON c."objectionId" = o.id
     LEFT JOIN receipt_jobs j ON j."objectionId" = o.id::text
     WHERE o."memberId" IS NOT NULL
     GROUP BY o."memberId"`,
    [RECEIPT_QUEUE],
  );
  const { rows: orphans } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT data FROM pgboss.job WHERE name = $1 UNION ALL SELECT data FROM pgboss.archive WHERE name = $1) AS j
     WHERE NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o.id::text = j.data->>'objectionId')`,
    [RECEIPT_QUEUE],
  );
  const byMember = new Map(perMember.map((entry) => [entry.memberId, entry]));
  let lost = 0;
  let exact = 0;
  for (const memberId of successes) {
    const entry = byMember.get(memberId);
    if (!entry) lost++;
    else if (entry.objections === 1 && entry.created === 1 && entry.jobs === 1) exact++;
  }
  const doubled = perMember.filter((entry) => entry.objections > 1 || entry.created > entry.objections || entry.jobs > entry.objections).length;
  const incomplete = perMember.filter((entry) => entry.created < entry.objections || entry.jobs < entry.objections).length;
  const withoutSuccess = perMember.filter((entry) => !successes.has(entry.memberId)).length;
  const pass = lost === 0 && exact === successes.size && doubled === 0 && incomplete === 0 && orphans[0]!.n === 0;
  figure("check: members with a success response", fmt(successes.size));
  figure("check: … with exactly 1 objection, event, job", fmt(exact));
  figure("check: … with no objection (lost)", fmt(lost));
  figure("check: members with more than one (doubled)", fmt(doubled));
  figure("check: objections missing an event or a job", fmt(incomplete));
  figure("check: receipt jobs without an objection", fmt(orphans[0]!.n));
  // Requests cut off when a run stopped, or answered with an error after the commit: stored, not lost.
  figure("check: stored, no success seen (in flight/error)", fmt(withoutSuccess));
  figure("check", pass ? "PASS" : "FAIL");
  return { pass, exact, lost, doubled, incomplete, orphans: orphans[0]!.n };
};

// ---------------------------------------------------------------------------------------------
// Receipt drain.

export const receiptBacklog = async (pool: pg.Pool) =>
  (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [RECEIPT_QUEUE])).rows[0]!.n;

/** Tops the receipt backlog up to DRAIN_JOBS: members, objections and their events in SQL, the jobs with pg-boss `insert`. */
export const topUpBacklog = async ({ pool, backlog }: { pool: pg.Pool; backlog: number }) => {
  const missing = DRAIN_JOBS - backlog;
  if (missing <= 0) return 0;
  await seedLinkMembers({ pool, count: missing, prefix: "bench-drain-" });
  const { rows: created } = await pool.query<{ id: string }>(
    `WITH o AS (
       INSERT INTO "Objection" ("memberId", email, country, source, status)
       SELECT id, email, country, 'email_link', 'effective' FROM "Member" WHERE "externalId" LIKE 'bench-drain-%'
       RETURNING id, "memberId"),
     e AS (
       INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail)
       SELECT id, 'created', 'member', "memberId"::text, '{"source":"email_link"}'::jsonb FROM o)
     SELECT id FROM o`,
  );
  const boss = await jobs();
  for (let i = 0; i < created.length; i += 1000) {
    await boss.insert(created.slice(i, i + 1000).map(({ id }) => ({ name: RECEIPT_QUEUE, data: { objectionId: id } })));
  }
  return created.length;
};
