-- CreateTable
CREATE TABLE "CampaignCounter" (
    "campaignId" UUID NOT NULL,
    "shard" SMALLINT NOT NULL,
    "queued" BIGINT NOT NULL DEFAULT 0,
    "sent" BIGINT NOT NULL DEFAULT 0,
    "failed" BIGINT NOT NULL DEFAULT 0,
    "skipped" BIGINT NOT NULL DEFAULT 0,
    "seen" BIGINT NOT NULL DEFAULT 0,
    "clicked" BIGINT NOT NULL DEFAULT 0,
    "objected" BIGINT NOT NULL DEFAULT 0,
    "reached" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "CampaignCounter_pkey" PRIMARY KEY ("campaignId","shard")
);

-- AddForeignKey
ALTER TABLE "CampaignCounter" ADD CONSTRAINT "CampaignCounter_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The one rule for "this notification reached its member" (lib/campaigns/reached-by-sql.ts calls
-- it): an email the relay accepted that neither bounced nor drew a complaint, or an in-app notice
-- the member saw. A one-expression SQL function: the planner inlines it.
CREATE FUNCTION notification_reached(channel "NotificationChannel", status "NotificationStatus", "bounceKind" "NotificationBounce", "seenAt" timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (channel = 'email' AND status IN ('sent', 'seen', 'clicked') AND "bounceKind" IS NULL) OR (channel = 'in_app' AND "seenAt" IS NOT NULL)
$$;

-- Which counter row a connection adds to: concurrent writers (send jobs, clicks, bounces) come on
-- different connections, so they rarely wait on one row. Readers sum the 16.
CREATE FUNCTION counter_shard() RETURNS smallint LANGUAGE sql STABLE AS $$ SELECT (pg_backend_pid() % 16)::smallint $$;

-- The rows one statement changed, as the counting triggers below read them: `sign` +1 for a row
-- as it is now, -1 as it was, and `columns` (written on the alias r) of each. With `moved`, an
-- update yields only the rows whose `moved` column changed (the others cannot move a count).
CREATE FUNCTION changed_rows_sql(op text, columns text, moved text DEFAULT NULL) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN op = 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_rows r', columns)
    WHEN op = 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_rows r', columns)
    WHEN moved IS NULL THEN format('SELECT 1 AS sign, %1$s FROM new_rows r UNION ALL SELECT -1 AS sign, %1$s FROM old_rows r', columns)
    ELSE format('SELECT 1 AS sign, %1$s FROM new_rows r JOIN old_rows x ON x.id = r.id WHERE r.%2$s IS DISTINCT FROM x.%2$s
                 UNION ALL SELECT -1 AS sign, %1$s FROM old_rows r JOIN new_rows x ON x.id = r.id WHERE r.%2$s IS DISTINCT FROM x.%2$s', columns, moved)
  END
$$;

-- A counting trigger on each of a table's inserts, updates and deletes, once per statement, with
-- the statement's rows as transition tables new_rows and old_rows.
CREATE FUNCTION create_counting_triggers(tbl text, trigger_name text, fn text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', trigger_name || '_insert', tbl, fn);
  EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', trigger_name || '_update', tbl, fn);
  EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', trigger_name || '_delete', tbl, fn);
END
$$;

-- Adds what one statement changed to its campaigns' counters, in that statement's transaction.
-- `changed` holds each changed notification twice on an update (+1 as it is now, -1 as it was),
-- so a figure moves only when a row moved in or out of it. A member counts as reached once
-- whatever their channels: for each (campaign, member) whose reached notifications changed, the
-- member was reached before if they had one before the statement, and is now if they have one now
-- (at most two rows, by the unique key). A campaign being deleted has no counters to keep.
--
-- Two statements changing a member's two channels at once would each see the other's change
-- uncommitted and both count the member. So a statement first takes a transaction lock per
-- (campaign, member) whose reach flipped, in one order (no deadlock between two statements), and
-- only then counts: in READ COMMITTED that count is a new statement with a new snapshot, which
-- sees the other's change once it has committed. (Every writer of Notification runs in READ
-- COMMITTED; a REPEATABLE READ writer would count from its old snapshot.)
-- A statement that flips more than 64 members of a campaign (a bulk load, a seed) takes the
-- campaign's lock instead, exclusively, so that it never fills the server's lock table; every
-- other statement holds that lock shared while it takes its members' locks, so the two exclude
-- each other as well.
CREATE FUNCTION notification_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  source text := changed_rows_sql(TG_OP, 'r.*');
  flipped text := $sql$
    WITH changed AS (%s),
    flipped AS (
      SELECT "campaignId", "memberId" FROM changed WHERE "campaignId" IS NOT NULL
      GROUP BY "campaignId", "memberId" HAVING sum(sign * notification_reached(channel, status, "bounceKind", "seenAt")::int) <> 0
    ),
    campaigns AS (SELECT "campaignId", hashtext("campaignId"::text) AS key, count(*) AS members FROM flipped GROUP BY "campaignId")
  $sql$;
BEGIN
  EXECUTE format(flipped || $sql$
    SELECT count(CASE WHEN members > 64 THEN pg_advisory_xact_lock(1331, key) ELSE pg_advisory_xact_lock_shared(1331, key) END)
    FROM (SELECT key, members FROM campaigns ORDER BY key) c
  $sql$, source);
  EXECUTE format(flipped || $sql$
    SELECT count(pg_advisory_xact_lock(1330, key)) FROM (
      SELECT hashtext(f."campaignId"::text || f."memberId"::text) AS key FROM flipped f JOIN campaigns c ON c."campaignId" = f."campaignId"
      WHERE c.members <= 64 ORDER BY key
    ) p
  $sql$, source);
  EXECUTE format($sql$
    WITH changed AS (%s),
    deltas AS (
      SELECT "campaignId",
        sum(sign * (channel = 'email' AND status = 'queued')::int) AS queued,
        sum(sign * (channel = 'email' AND status IN ('sent', 'seen', 'clicked'))::int) AS sent,
        sum(sign * (status = 'failed')::int) AS failed,
        sum(sign * (status = 'skipped')::int) AS skipped,
        sum(sign * ("seenAt" IS NOT NULL)::int) AS seen,
        sum(sign * ("clickedAt" IS NOT NULL)::int) AS clicked
      FROM changed WHERE "campaignId" IS NOT NULL GROUP BY "campaignId"
    ),
    flipped AS (
      SELECT "campaignId", "memberId", sum(sign * notification_reached(channel, status, "bounceKind", "seenAt")::int) AS change
      FROM changed WHERE "campaignId" IS NOT NULL GROUP BY "campaignId", "memberId"
      HAVING sum(sign * notification_reached(channel, status, "bounceKind", "seenAt")::int) <> 0
    ),
    reach AS (
      SELECT f."campaignId", sum((now.n > 0)::int - ((now.n - f.change) > 0)::int) AS reached
      FROM flipped f CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM "Notification" x
        WHERE x."campaignId" = f."campaignId" AND x."memberId" = f."memberId" AND notification_reached(x.channel, x.status, x."bounceKind", x."seenAt")
      ) now
      GROUP BY f."campaignId"
    )
    INSERT INTO "CampaignCounter" ("campaignId", shard, queued, sent, failed, skipped, seen, clicked, reached)
    SELECT d."campaignId", counter_shard(), d.queued, d.sent, d.failed, d.skipped, d.seen, d.clicked, coalesce(r.reached, 0)
    FROM deltas d LEFT JOIN reach r ON r."campaignId" = d."campaignId"
    WHERE (d.queued, d.sent, d.failed, d.skipped, d.seen, d.clicked, coalesce(r.reached, 0)) <> (0, 0, 0, 0, 0, 0, 0)
      AND EXISTS (SELECT 1 FROM "Campaign" c WHERE c.id = d."campaignId")
    ON CONFLICT ("campaignId", shard) DO UPDATE SET
      queued = "CampaignCounter".queued + EXCLUDED.queued,
      sent = "CampaignCounter".sent + EXCLUDED.sent,
      failed = "CampaignCounter".failed + EXCLUDED.failed,
      skipped = "CampaignCounter".skipped + EXCLUDED.skipped,
      seen = "CampaignCounter".seen + EXCLUDED.seen,
      clicked = "CampaignCounter".clicked + EXCLUDED.clicked,
      reached = "CampaignCounter".reached + EXCLUDED.reached
  $sql$, source);
  RETURN NULL;
END
$fn$;

SELECT create_counting_triggers('Notification', 'Notification_counts', 'notification_counts');

-- Objections made through a campaign's notice: +1 as one is made, and as its notice changes (an
-- objection whose notice is removed loses it), the old campaign -1 and the new +1.
CREATE FUNCTION objection_campaign_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  source text := changed_rows_sql(TG_OP, 'r."notificationId"', '"notificationId"');
BEGIN
  EXECUTE format($sql$
    INSERT INTO "CampaignCounter" ("campaignId", shard, objected)
    SELECT x."campaignId", counter_shard(), sum(c.sign)
    FROM (%s) c JOIN "Notification" x ON x.id = c."notificationId"
    WHERE x."campaignId" IS NOT NULL AND EXISTS (SELECT 1 FROM "Campaign" k WHERE k.id = x."campaignId")
    GROUP BY x."campaignId" HAVING sum(c.sign) <> 0
    ON CONFLICT ("campaignId", shard) DO UPDATE SET objected = "CampaignCounter".objected + EXCLUDED.objected
  $sql$, source);
  RETURN NULL;
END
$fn$;

SELECT create_counting_triggers('Objection', 'Objection_campaign_counts', 'objection_campaign_counts');

-- The campaigns so far, counted once from their rows.
INSERT INTO "CampaignCounter" ("campaignId", shard, queued, sent, failed, skipped, seen, clicked, objected, reached)
SELECT c.id, 0,
  (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n.channel = 'email' AND n.status = 'queued'),
  (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n.channel = 'email' AND n.status IN ('sent', 'seen', 'clicked')),
  (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n.status = 'failed'),
  (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n.status = 'skipped'),
  (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n."seenAt" IS NOT NULL),
  (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n."clickedAt" IS NOT NULL),
  (SELECT count(*) FROM "Objection" o JOIN "Notification" n ON n.id = o."notificationId" WHERE n."campaignId" = c.id),
  (SELECT count(DISTINCT n."memberId") FROM "Notification" n WHERE n."campaignId" = c.id AND notification_reached(n.channel, n.status, n."bounceKind", n."seenAt"))
FROM "Campaign" c;
