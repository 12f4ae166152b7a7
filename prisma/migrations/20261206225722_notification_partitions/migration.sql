-- Notification partitioned by campaign (PostgreSQL declarative partitioning, LIST on "campaignId"):
-- 260 M members make about 520 M notices, kept for ever as proof of notice. One partition a
-- campaign keeps each send job's claim inside its campaign's rows, and lets one campaign's rows be
-- vacuumed, indexed or moved on their own.
-- - A partitioned table's unique keys must hold its partition key, so the key is (id,
--   "campaignId") and every notice belongs to a campaign. Notices made outside one (the demo seed's, before
--   this migration) get a campaign of their own here.
-- - Objection and BounceReport point at a notice by both columns, so they gain "campaignId".
-- - A notice found by id alone (a personal link, a VERP bounce, "stop these emails") uses the
--   key, which leads with id: one probe a partition, and no second index of every id.
-- - Each new campaign gets its partition from a trigger on Campaign, in the transaction that
--   inserts it: made alone, then attached, which locks the parent SHARE UPDATE EXCLUSIVE (reads
--   and writes go on), not ACCESS EXCLUSIVE as CREATE TABLE … PARTITION OF would.
-- The rows move once: the old heap is renamed, its rows copied into the partitions, then dropped.
-- The counting triggers go onto the new parent only after the copy, so nothing is counted twice.

-- 1. Notices without a campaign: one campaign holds them, counted by the triggers still in place.
INSERT INTO "Campaign" (id, name, channels, status, total, "launchedAt", "audienceAt", "completedAt", "updatedAt")
SELECT gen_random_uuid(), 'Notices sent outside a campaign', array_agg(DISTINCT channel), 'done', count(DISTINCT "memberId"),
       min("createdAt"), min("createdAt"), max("createdAt"), now()
  FROM "Notification" WHERE "campaignId" IS NULL
HAVING count(*) > 0;
UPDATE "Notification" SET "campaignId" = (SELECT id FROM "Campaign" WHERE name = 'Notices sent outside a campaign' ORDER BY "createdAt" DESC LIMIT 1)
 WHERE "campaignId" IS NULL;

-- 2. What points at a notice points at its campaign too. The backfill changes no counted column:
--    Objection's counting and export triggers stay out of it.
ALTER TABLE "BounceReport" DROP CONSTRAINT "BounceReport_notificationId_fkey";
ALTER TABLE "Objection" DROP CONSTRAINT "Objection_notificationId_fkey";
ALTER TABLE "BounceReport" ADD COLUMN "campaignId" UUID;
ALTER TABLE "Objection" ADD COLUMN "campaignId" UUID;
UPDATE "BounceReport" r SET "campaignId" = n."campaignId" FROM "Notification" n WHERE n.id = r."notificationId";
ALTER TABLE "BounceReport" ALTER COLUMN "campaignId" SET NOT NULL;
ALTER TABLE "Objection" DISABLE TRIGGER USER;
UPDATE "Objection" o SET "campaignId" = n."campaignId" FROM "Notification" n WHERE n.id = o."notificationId";
ALTER TABLE "Objection" ENABLE TRIGGER USER;
-- Objections made through a notice outside a campaign were counted by no campaign until now.
INSERT INTO "CampaignCounter" ("campaignId", shard, objected)
SELECT o."campaignId", 0, count(*) FROM "Objection" o JOIN "Campaign" c ON c.id = o."campaignId"
 WHERE c.name = 'Notices sent outside a campaign' GROUP BY o."campaignId"
ON CONFLICT ("campaignId", shard) DO UPDATE SET objected = "CampaignCounter".objected + EXCLUDED.objected;

-- An objection's campaign is its own column now: its counter reads it, with no join to Notification.
CREATE OR REPLACE FUNCTION objection_campaign_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  source text := changed_rows_sql(TG_OP, 'r."campaignId"', '"campaignId"');
BEGIN
  EXECUTE format($sql$
    INSERT INTO "CampaignCounter" ("campaignId", shard, objected)
    SELECT c."campaignId", counter_shard(), sum(c.sign)
    FROM (%s) c
    WHERE c."campaignId" IS NOT NULL AND EXISTS (SELECT 1 FROM "Campaign" k WHERE k.id = c."campaignId")
    GROUP BY c."campaignId" HAVING sum(c.sign) <> 0
    ON CONFLICT ("campaignId", shard) DO UPDATE SET objected = "CampaignCounter".objected + EXCLUDED.objected
  $sql$, source);
  RETURN NULL;
END
$fn$;

-- 3. The partitioned table, one partition for each campaign, and the rows moved into them.
ALTER TABLE "Notification" RENAME TO "Notification_unpartitioned";
CREATE TABLE "Notification" (LIKE "Notification_unpartitioned" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST ("campaignId");
ALTER TABLE "Notification" ALTER COLUMN "campaignId" SET NOT NULL;

-- A campaign's partition: "Notification_" and its id without dashes. Attaching an empty table
-- takes SHARE ROW EXCLUSIVE on Member, Objection and BounceReport (the foreign keys) for
-- the rest of the inserting transaction. The wait for them is capped at 5 s: behind a long import
-- part, a campaign's creation fails, asking to try again, rather than keep every writer of members
-- queued behind its lock request for as long. Campaigns made at once attach one after another.
CREATE FUNCTION notification_partition_create(campaign uuid) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  partition_name text := 'Notification_' || replace(campaign::text, '-', '');
  lock_timeout_before text := current_setting('lock_timeout');
BEGIN
  PERFORM set_config('lock_timeout', '5s', true);
  EXECUTE format('CREATE TABLE %I (LIKE "Notification" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
  EXECUTE format('ALTER TABLE "Notification" ATTACH PARTITION %I FOR VALUES IN (%L)', partition_name, campaign);
  PERFORM set_config('lock_timeout', lock_timeout_before, true);
END
$fn$;

SELECT notification_partition_create(id) FROM "Campaign";

INSERT INTO "Notification" SELECT * FROM "Notification_unpartitioned";
DROP TABLE "Notification_unpartitioned";

-- 4. Keys, indexes and foreign keys, built once the rows are in.
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_pkey" PRIMARY KEY (id, "campaignId");
CREATE UNIQUE INDEX "Notification_campaignId_memberId_channel_key" ON "Notification"("campaignId", "memberId", channel);
CREATE INDEX "Notification_memberId_idx" ON "Notification"("memberId");
CREATE INDEX "Notification_campaignId_status_idx" ON "Notification"("campaignId", status);
CREATE INDEX "Notification_queued_email_batch" ON "Notification"("campaignId", batch) WHERE status = 'queued' AND channel = 'email';
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"(id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "BounceReport" ADD CONSTRAINT "BounceReport_notificationId_campaignId_fkey" FOREIGN KEY ("notificationId", "campaignId") REFERENCES "Notification"(id, "campaignId") ON DELETE CASCADE ON UPDATE CASCADE;
-- MATCH FULL: an objection names both the notice and its campaign, or neither.
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_notificationId_campaignId_fkey" FOREIGN KEY ("notificationId", "campaignId") REFERENCES "Notification"(id, "campaignId") MATCH FULL ON DELETE SET NULL ON UPDATE CASCADE;

-- 5. The counting triggers, on the parent: a statement trigger's transition tables there hold the
--    rows of every partition the statement touched.
SELECT create_counting_triggers('Notification', 'Notification_counts', 'notification_counts');
SELECT create_counting_triggers('Notification', 'Notification_email_counts', 'notice_email_counts');
SELECT create_counting_triggers('Notification', 'Notification_dashboard_changes', 'notification_dashboard_changes');

-- 6. Every campaign made from now on gets its partition as it is inserted.
--    No foreign key from Notification to Campaign: attaching a partition would lock Campaign
--    SHARE ROW EXCLUSIVE, which two transactions that each inserted a campaign (and so hold ROW
--    EXCLUSIVE on it) would wait for from each other: a deadlock. The partitions keep the rule the
--    key kept: a notice can only be stored in the partition of a campaign that was inserted, and
--    deleting a campaign (only tests do: campaigns are proof of notice) deletes its notices.
CREATE FUNCTION campaign_notification_partition() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM notification_partition_create(NEW.id);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER "Campaign_notification_partition" AFTER INSERT ON "Campaign" FOR EACH ROW EXECUTE FUNCTION campaign_notification_partition();

CREATE FUNCTION campaign_notifications_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM "Notification" WHERE "campaignId" = OLD.id;
  RETURN OLD;
END
$fn$;
CREATE TRIGGER "Campaign_notifications_delete" BEFORE DELETE ON "Campaign" FOR EACH ROW EXECUTE FUNCTION campaign_notifications_delete();
