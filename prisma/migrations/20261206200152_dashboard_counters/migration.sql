-- CreateTable
CREATE TABLE "DashboardObjectionCounter" (
    "country" CHAR(2) NOT NULL,
    "status" "ObjectionStatus" NOT NULL,
    "source" "ObjectionSource" NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DashboardObjectionCounter_pkey" PRIMARY KEY ("country","status","source","shard")
);

-- CreateTable
CREATE TABLE "DashboardObjectionDay" (
    "day" DATE NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DashboardObjectionDay_pkey" PRIMARY KEY ("day","shard")
);

-- CreateTable
CREATE TABLE "DashboardMemberCounter" (
    "country" CHAR(2) NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DashboardMemberCounter_pkey" PRIMARY KEY ("country","shard")
);

-- CreateTable
CREATE TABLE "DashboardBirthCounter" (
    "country" CHAR(2) NOT NULL,
    "birthDate" DATE NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DashboardBirthCounter_pkey" PRIMARY KEY ("country","birthDate","shard")
);

-- CreateTable
CREATE TABLE "DashboardMemberChange" (
    "id" BIGSERIAL NOT NULL,
    "memberId" UUID NOT NULL,

    CONSTRAINT "DashboardMemberChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DashboardMemberFlags" (
    "memberId" UUID NOT NULL,
    "country" CHAR(2) NOT NULL,
    "byEmail" BOOLEAN NOT NULL,
    "inApp" BOOLEAN NOT NULL,
    "seen" BOOLEAN NOT NULL,
    "clicked" BOOLEAN NOT NULL,
    "objected" BOOLEAN NOT NULL,

    CONSTRAINT "DashboardMemberFlags_pkey" PRIMARY KEY ("memberId")
);

-- CreateTable
CREATE TABLE "DashboardNoticeCounter" (
    "country" CHAR(2) NOT NULL,
    "notified" BIGINT NOT NULL DEFAULT 0,
    "emailOnly" BIGINT NOT NULL DEFAULT 0,
    "inAppOnly" BIGINT NOT NULL DEFAULT 0,
    "both" BIGINT NOT NULL DEFAULT 0,
    "seen" BIGINT NOT NULL DEFAULT 0,
    "clicked" BIGINT NOT NULL DEFAULT 0,
    "objectedAfterNotice" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DashboardNoticeCounter_pkey" PRIMARY KEY ("country")
);



-- What one notification says of its member, for the dashboard (MEMBER_FIGURES_SQL's rules, as
-- bits): 1 told by email, 2 told in the app, 4 seen (a click implies it was seen), 8 clicked.
CREATE FUNCTION dashboard_notice_flags(channel "NotificationChannel", status "NotificationStatus", "seenAt" timestamptz, "clickedAt" timestamptz)
RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ((channel = 'email' AND status IN ('sent', 'seen', 'clicked'))::int
    | ((channel = 'in_app' AND status IN ('sent', 'seen', 'clicked'))::int << 1)
    | (("seenAt" IS NOT NULL OR "clickedAt" IS NOT NULL)::int << 2)
    | (("clickedAt" IS NOT NULL)::int << 3))::smallint
$$;

-- The birth date a member is counted under: eligibility asks only "born after the cutoff?" with a
-- cutoff (18 years ago) that is never before 2008-01-01 again, so everyone born before that day
-- shares one key per country. A statement of 100,000 adults then adds to a few keys per country,
-- not to one per birthday. (compute-dashboard-summary refuses a cutoff before it.)
CREATE FUNCTION dashboard_birth_key(d date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT greatest(d, date '2008-01-01') $$;

-- Members by country and by (country, birth date): a statement adds its net change per key, in
-- key order (two statements never wait on each other in opposite orders), to its shard. An update
-- counts every row as it was (-1) and is (+1), with no join of the two: the import rewrites every
-- member it merges, and a join of 100,000 old and new rows doubled its update's cost; the sums of
-- the unchanged rows cancel out.
CREATE FUNCTION member_dashboard_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, country, "birthDate" FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, country, "birthDate" FROM old_rows'
    ELSE 'SELECT 1 AS sign, country, "birthDate" FROM new_rows UNION ALL SELECT -1 AS sign, country, "birthDate" FROM old_rows'
  END;
BEGIN
  EXECUTE format($sql$
    WITH changed AS (%s),
    births AS (SELECT country, dashboard_birth_key("birthDate") AS "birthDate", sum(sign) AS n FROM changed GROUP BY 1, 2 HAVING sum(sign) <> 0),
    countries AS (
      INSERT INTO "DashboardMemberCounter" (country, shard, count)
      SELECT country, counter_shard(), sum(n) FROM births GROUP BY country HAVING sum(n) <> 0 ORDER BY country
      ON CONFLICT (country, shard) DO UPDATE SET count = "DashboardMemberCounter".count + EXCLUDED.count
    )
    INSERT INTO "DashboardBirthCounter" (country, "birthDate", shard, count)
    SELECT country, "birthDate", counter_shard(), n FROM births ORDER BY country, "birthDate"
    ON CONFLICT (country, "birthDate", shard) DO UPDATE SET count = "DashboardBirthCounter".count + EXCLUDED.count
  $sql$, changed);
  RETURN NULL;
END
$fn$;

SELECT create_counting_triggers('Member', 'Member_dashboard_counts', 'member_dashboard_counts');

-- A member who moves is counted under their new country in the notice figures: into the change
-- log. Rare, so a row trigger, which costs the import's other updates only its WHEN.
CREATE FUNCTION member_country_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "DashboardMemberChange" ("memberId") VALUES (NEW.id);
  RETURN NULL;
END
$fn$;

CREATE TRIGGER "Member_dashboard_country" AFTER UPDATE OF country ON "Member"
FOR EACH ROW WHEN (OLD.country IS DISTINCT FROM NEW.country) EXECUTE FUNCTION member_country_changed();

-- Objections by (country, status, source) and by day, and the members whose live objection
-- changed (lib/objections/live-objection.ts: the `member` rule, status 'effective') into the
-- change log.
CREATE FUNCTION objection_dashboard_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  source text := changed_rows_sql(TG_OP, 'r.country, r.status, r.source, r."effectiveAt", r."memberId"');
BEGIN
  EXECUTE format($sql$
    WITH changed AS (%s),
    figures AS (
      INSERT INTO "DashboardObjectionCounter" (country, status, source, shard, count)
      SELECT country, status, source, counter_shard(), sum(sign) FROM changed GROUP BY 1, 2, 3 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (country, status, source, shard) DO UPDATE SET count = "DashboardObjectionCounter".count + EXCLUDED.count
    ),
    days AS (
      INSERT INTO "DashboardObjectionDay" (day, shard, count)
      SELECT ("effectiveAt" AT TIME ZONE 'UTC')::date, counter_shard(), sum(sign) FROM changed GROUP BY 1 HAVING sum(sign) <> 0 ORDER BY 1
      ON CONFLICT (day, shard) DO UPDATE SET count = "DashboardObjectionDay".count + EXCLUDED.count
    )
    INSERT INTO "DashboardMemberChange" ("memberId")
    SELECT "memberId" FROM changed WHERE "memberId" IS NOT NULL
    GROUP BY "memberId" HAVING sum(sign * (status = 'effective')::int) <> 0
  $sql$, source);
  RETURN NULL;
END
$fn$;

SELECT create_counting_triggers('Objection', 'Objection_dashboard_counts', 'objection_dashboard_counts');

-- The members for whom a notification with a flag appeared or went away: only they can change
-- figures (a queued email, a failed one, a bounce, carry no flag and log nothing).
CREATE FUNCTION notification_dashboard_changes() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  source text := changed_rows_sql(TG_OP, 'r."memberId", dashboard_notice_flags(r.channel, r.status, r."seenAt", r."clickedAt") AS flags');
BEGIN
  EXECUTE format($sql$
    INSERT INTO "DashboardMemberChange" ("memberId")
    SELECT DISTINCT "memberId" FROM (
      SELECT "memberId" FROM (%s) c WHERE flags <> 0 GROUP BY "memberId", flags HAVING sum(sign) <> 0
    ) m
  $sql$, source);
  RETURN NULL;
END
$fn$;

SELECT create_counting_triggers('Notification', 'Notification_dashboard_changes', 'notification_dashboard_changes');

-- The metrics' objections by status are the dashboard's counts summed over country and source:
-- one set of triggers on "Objection" instead of two (lib/metrics/metrics-sql.ts reads them so).
DROP TRIGGER "Objection_status_counts_insert" ON "Objection";
DROP TRIGGER "Objection_status_counts_update" ON "Objection";
DROP TRIGGER "Objection_status_counts_delete" ON "Objection";
DROP FUNCTION objection_status_counts();
DROP TABLE "ObjectionStatusCounter";

-- The rows so far, counted once.
INSERT INTO "DashboardObjectionCounter" (country, status, source, shard, count)
SELECT country, status, source, 0, count(*) FROM "Objection" GROUP BY 1, 2, 3;

INSERT INTO "DashboardObjectionDay" (day, shard, count)
SELECT ("effectiveAt" AT TIME ZONE 'UTC')::date, 0, count(*) FROM "Objection" GROUP BY 1;

INSERT INTO "DashboardBirthCounter" (country, "birthDate", shard, count)
SELECT country, dashboard_birth_key("birthDate"), 0, count(*) FROM "Member" GROUP BY 1, 2;

INSERT INTO "DashboardMemberCounter" (country, shard, count)
SELECT country, 0, sum(count) FROM "DashboardBirthCounter" GROUP BY 1;

INSERT INTO "DashboardMemberFlags" ("memberId", country, "byEmail", "inApp", seen, clicked, objected)
SELECT m.id, m.country, t.flags & 1 <> 0, t.flags & 2 <> 0, t.flags & 4 <> 0, t.flags & 8 <> 0,
  t.flags & 3 <> 0 AND EXISTS (SELECT 1 FROM "Objection" o WHERE o."memberId" = m.id AND o.status = 'effective')
FROM (SELECT "memberId", bit_or(dashboard_notice_flags(channel, status, "seenAt", "clickedAt")) AS flags FROM "Notification" GROUP BY 1) t
JOIN "Member" m ON m.id = t."memberId"
WHERE t.flags <> 0;

INSERT INTO "DashboardNoticeCounter" (country, notified, "emailOnly", "inAppOnly", "both", seen, clicked, "objectedAfterNotice")
SELECT country, count(*) FILTER (WHERE "byEmail" OR "inApp"), count(*) FILTER (WHERE "byEmail" AND NOT "inApp"),
  count(*) FILTER (WHERE "inApp" AND NOT "byEmail"), count(*) FILTER (WHERE "byEmail" AND "inApp"),
  count(*) FILTER (WHERE seen), count(*) FILTER (WHERE clicked), count(*) FILTER (WHERE objected)
FROM "DashboardMemberFlags" GROUP BY 1;

