-- CreateTable
CREATE TABLE "TransparencyCounter" (
    "country" CHAR(2) NOT NULL,
    "month" DATE NOT NULL,
    "shard" SMALLINT NOT NULL,
    "noticesSent" BIGINT NOT NULL DEFAULT 0,
    "reached" BIGINT NOT NULL DEFAULT 0,
    "objections" BIGINT NOT NULL DEFAULT 0,
    "withdrawals" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "TransparencyCounter_pkey" PRIMARY KEY ("country","month","shard")
);

-- CreateTable
CREATE TABLE "TransparencyExportHours" (
    "country" CHAR(2) NOT NULL,
    "month" DATE NOT NULL,
    "hours" INTEGER NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "TransparencyExportHours_pkey" PRIMARY KEY ("country","month","hours")
);

-- CreateTable
CREATE TABLE "TransparencyExportMedian" (
    "country" CHAR(2) NOT NULL,
    "month" DATE NOT NULL,
    "exported" BIGINT NOT NULL,
    "medianHours" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "TransparencyExportMedian_pkey" PRIMARY KEY ("country","month")
);

-- CreateIndex
CREATE INDEX "ExportMember_firstRunId_idx" ON "ExportMember"("firstRunId");



-- The public transparency report's counters (docs/transparency.md). They count what happened, by
-- country and month (UTC): only inserts and updates move them, so removing a member or a campaign
-- later does not take its notices out of a month already reported.

-- The month a time falls in, in UTC.
CREATE FUNCTION transparency_month(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT date_trunc('month', t AT TIME ZONE 'UTC')::date
$$;

-- When a reached notification reached its member: an email when the relay took it, an in-app
-- notice when it was seen (notification_reached's two cases).
CREATE FUNCTION transparency_reached_at(channel "NotificationChannel", "sentAt" timestamptz, "seenAt" timestamptz, "createdAt" timestamptz)
RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN channel = 'email' THEN coalesce("sentAt", "createdAt") ELSE "seenAt" END
$$;

-- Notices sent: a notice (either channel) that came into the sent state (sent, seen, clicked) is
-- +1 in the month of its sentAt, one that left it -1, under its member's country.
-- Reached: a member counts once per campaign, in the month of the earliest of their reached
-- notifications of that campaign (notification_reached). For each (campaign, member) whose reached
-- notifications changed, the earliest as it was (the rows now, with this statement's rows as they
-- were) is -1 and the earliest as it is +1. This trigger's name sorts after "Notification_counts",
-- so it runs after notification_counts took its lock on each (campaign, member) whose reach moved
-- (see campaign_counters): a concurrent statement on the member's other channel has committed by
-- the time these reads, each a new snapshot in READ COMMITTED, look.
CREATE FUNCTION notification_transparency_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  source text := changed_rows_sql(TG_OP, 'r.id, r."campaignId", r."memberId", r.status, r."sentAt", r."createdAt",
    notification_reached(r.channel, r.status, r."bounceKind", r."seenAt") AS reached,
    transparency_reached_at(r.channel, r."sentAt", r."seenAt", r."createdAt") AS "reachedAt"');
BEGIN
  EXECUTE format($sql$
    WITH changed AS (%s),
    sent AS (
      SELECT "memberId", transparency_month(coalesce("sentAt", "createdAt")) AS month, sum(sign) AS n
      FROM changed WHERE status IN ('sent', 'seen', 'clicked') GROUP BY 1, 2 HAVING sum(sign) <> 0
    ),
    touched AS (
      SELECT DISTINCT "campaignId", "memberId" FROM (
        SELECT "campaignId", "memberId" FROM changed WHERE reached GROUP BY "campaignId", "memberId", "reachedAt" HAVING sum(sign) <> 0
      ) t
    ),
    current AS (
      SELECT t."campaignId", t."memberId", x.id, x.at FROM touched t
      CROSS JOIN LATERAL (
        SELECT x.id, transparency_reached_at(x.channel, x."sentAt", x."seenAt", x."createdAt") AS at FROM "Notification" x
        WHERE x."campaignId" = t."campaignId" AND x."memberId" = t."memberId" AND notification_reached(x.channel, x.status, x."bounceKind", x."seenAt")
        -- At most one a channel. The LIMIT keeps the planner from folding the lookup into a join,
        -- which compared every touched member with every reached notice of the campaign.
        LIMIT 2
      ) x
    ),
    reach AS (
      SELECT "memberId", transparency_month(min(at)) AS month, 1 AS n FROM current GROUP BY "campaignId", "memberId"
      UNION ALL
      SELECT "memberId", transparency_month(min(at)), -1 FROM (
        SELECT "campaignId", "memberId", at FROM current WHERE id NOT IN (SELECT id FROM changed WHERE sign = 1)
        UNION ALL
        SELECT c."campaignId", c."memberId", c."reachedAt" FROM changed c JOIN touched t ON t."campaignId" = c."campaignId" AND t."memberId" = c."memberId"
        WHERE c.sign = -1 AND c.reached
      ) b GROUP BY "campaignId", "memberId"
    ),
    deltas AS (
      SELECT m.country, d.month, sum(d.sent) AS sent, sum(d.reached) AS reached FROM (
        SELECT "memberId", month, n AS sent, 0 AS reached FROM sent
        UNION ALL SELECT "memberId", month, 0, n FROM reach
      ) d JOIN "Member" m ON m.id = d."memberId"
      GROUP BY 1, 2 HAVING (sum(d.sent), sum(d.reached)) <> (0, 0)
    )
    INSERT INTO "TransparencyCounter" (country, month, shard, "noticesSent", reached)
    SELECT country, month, counter_shard(), sent, reached FROM deltas ORDER BY country, month
    ON CONFLICT (country, month, shard) DO UPDATE SET
      "noticesSent" = "TransparencyCounter"."noticesSent" + EXCLUDED."noticesSent",
      reached = "TransparencyCounter".reached + EXCLUDED.reached
  $sql$, source);
  RETURN NULL;
END
$fn$;

-- Objections by the objection's country: made, in the month of effectiveAt; withdrawn, in the
-- month of withdrawnAt. An update moves a count only when one of those changed. Static SQL (not
-- EXECUTE, as the other counting triggers): PL/pgSQL keeps its plans, so the form's one-row INSERT
-- pays no planning for it.
CREATE FUNCTION objection_transparency_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "TransparencyCounter" (country, month, shard, objections, withdrawals)
    SELECT country, month, counter_shard(), sum(made), sum(withdrawn) FROM (
      SELECT r.country, transparency_month(r."effectiveAt") AS month, 1 AS made, 0 AS withdrawn FROM new_rows r
      UNION ALL SELECT r.country, transparency_month(r."withdrawnAt"), 0, 1 FROM new_rows r WHERE r."withdrawnAt" IS NOT NULL
    ) d GROUP BY country, month ORDER BY country, month
    ON CONFLICT (country, month, shard) DO UPDATE SET
      objections = "TransparencyCounter".objections + EXCLUDED.objections,
      withdrawals = "TransparencyCounter".withdrawals + EXCLUDED.withdrawals;
  ELSE
    INSERT INTO "TransparencyCounter" (country, month, shard, objections, withdrawals)
    SELECT country, month, counter_shard(), sum(made), sum(withdrawn) FROM (
      SELECT r.country, transparency_month(r."effectiveAt") AS month, 1 AS made, 0 AS withdrawn FROM new_rows r
      UNION ALL SELECT r.country, transparency_month(r."withdrawnAt"), 0, 1 FROM new_rows r WHERE r."withdrawnAt" IS NOT NULL
      UNION ALL SELECT r.country, transparency_month(r."effectiveAt"), -1, 0 FROM old_rows r
      UNION ALL SELECT r.country, transparency_month(r."withdrawnAt"), 0, -1 FROM old_rows r WHERE r."withdrawnAt" IS NOT NULL
    ) d GROUP BY country, month HAVING (sum(made), sum(withdrawn)) <> (0, 0) ORDER BY country, month
    ON CONFLICT (country, month, shard) DO UPDATE SET
      objections = "TransparencyCounter".objections + EXCLUDED.objections,
      withdrawals = "TransparencyCounter".withdrawals + EXCLUDED.withdrawals;
  END IF;
  RETURN NULL;
END
$fn$;

-- Recomputes the median of the export hours of the (country, month) keys given (two arrays, one
-- key per position) from their histograms: the mean of the values at positions ceil(n/2) and
-- floor(n/2)+1 (one value when n is odd), each the first bucket whose running total reaches it.
-- The acknowledgement calls it for the keys it added to (lib/exports/export-runs.ts).
CREATE FUNCTION refresh_transparency_medians(countries text[], months date[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "TransparencyExportMedian" (country, month, exported, "medianHours")
  SELECT country, month, total, (min(hours) FILTER (WHERE upto >= (total + 1) / 2) + min(hours) FILTER (WHERE upto >= total / 2 + 1)) / 2.0
  FROM (
    SELECT h.country, h.month, h.hours,
      (sum(h.count) OVER (PARTITION BY h.country, h.month ORDER BY h.hours))::bigint AS upto,
      (sum(h.count) OVER (PARTITION BY h.country, h.month))::bigint AS total
    FROM "TransparencyExportHours" h JOIN unnest(countries, months) AS k(country, month) ON k.country = h.country AND k.month = h.month
  ) r
  GROUP BY country, month, total ORDER BY country, month
  ON CONFLICT (country, month) DO UPDATE SET exported = EXCLUDED.exported, "medianHours" = EXCLUDED."medianHours"
$$;

-- Inserts and updates only (see the top): no delete triggers.
CREATE TRIGGER "Notification_transparency_insert" AFTER INSERT ON "Notification" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notification_transparency_counts();
CREATE TRIGGER "Notification_transparency_update" AFTER UPDATE ON "Notification" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notification_transparency_counts();
CREATE TRIGGER "Objection_transparency_insert" AFTER INSERT ON "Objection" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION objection_transparency_counts();
CREATE TRIGGER "Objection_transparency_update" AFTER UPDATE ON "Objection" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION objection_transparency_counts();

-- The rows so far, counted once.
INSERT INTO "TransparencyCounter" (country, month, shard, "noticesSent", reached, objections, withdrawals)
SELECT country, month, 0, sum(sent), sum(reached), sum(made), sum(withdrawn) FROM (
  SELECT m.country, transparency_month(coalesce(n."sentAt", n."createdAt")) AS month, count(*) AS sent, 0 AS reached, 0 AS made, 0 AS withdrawn
  FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n.status IN ('sent', 'seen', 'clicked') GROUP BY 1, 2
  UNION ALL
  SELECT m.country, transparency_month(r.at), 0, count(*), 0, 0 FROM (
    SELECT n."memberId", min(transparency_reached_at(n.channel, n."sentAt", n."seenAt", n."createdAt")) AS at
    FROM "Notification" n WHERE notification_reached(n.channel, n.status, n."bounceKind", n."seenAt") GROUP BY n."campaignId", n."memberId"
  ) r JOIN "Member" m ON m.id = r."memberId" GROUP BY 1, 2
  UNION ALL
  SELECT country, transparency_month("effectiveAt"), 0, 0, count(*), 0 FROM "Objection" GROUP BY 1, 2
  UNION ALL
  SELECT country, transparency_month("withdrawnAt"), 0, 0, 0, count(*) FROM "Objection" WHERE "withdrawnAt" IS NOT NULL GROUP BY 1, 2
) t GROUP BY 1, 2;

-- The exported objections so far: each under the earliest acknowledgement of a run at or after the
-- first run that held it (capped as lib/transparency/transparency-sql.ts caps it).
INSERT INTO "TransparencyExportHours" (country, month, hours, count)
SELECT o.country, transparency_month(o."effectiveAt"),
  least(greatest(floor(extract(epoch FROM a.at - o."effectiveAt") / 3600), 0), 2160)::int, count(*)
FROM "ExportMember" em
JOIN "ExportRun" f ON f.id = em."firstRunId"
JOIN "Objection" o ON o.id = em."objectionId"
CROSS JOIN LATERAL (SELECT min(r."acknowledgedAt") AS at FROM "ExportRun" r WHERE r.status = 'succeeded' AND r.cutoff >= f.cutoff AND r."acknowledgedAt" IS NOT NULL) a
WHERE a.at IS NOT NULL
GROUP BY 1, 2, 3;

SELECT refresh_transparency_medians(array_agg(country::text), array_agg(month)) FROM (SELECT DISTINCT country, month FROM "TransparencyExportHours") k;
