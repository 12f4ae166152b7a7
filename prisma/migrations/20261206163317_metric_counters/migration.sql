-- CreateEnum
CREATE TYPE "CountedEmail" AS ENUM ('notice', 'receipt');

-- CreateEnum
CREATE TYPE "EmailOutcome" AS ENUM ('sent', 'failed');

-- CreateTable
CREATE TABLE "ObjectionStatusCounter" (
    "status" "ObjectionStatus" NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ObjectionStatusCounter_pkey" PRIMARY KEY ("status","shard")
);

-- CreateTable
CREATE TABLE "EmailCounter" (
    "kind" "CountedEmail" NOT NULL,
    "outcome" "EmailOutcome" NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "EmailCounter_pkey" PRIMARY KEY ("kind","outcome","shard")
);


-- Objections by status: +1 for a row's status as it is now, -1 as it was.
CREATE FUNCTION objection_status_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  source text := changed_rows_sql(TG_OP, 'r.status', 'status');
BEGIN
  EXECUTE format($sql$
    INSERT INTO "ObjectionStatusCounter" (status, shard, count)
    SELECT status, counter_shard(), sum(sign) FROM (%s) c GROUP BY status HAVING sum(sign) <> 0
    ON CONFLICT (status, shard) DO UPDATE SET count = "ObjectionStatusCounter".count + EXCLUDED.count
  $sql$, source);
  RETURN NULL;
END
$fn$;

SELECT create_counting_triggers('Objection', 'Objection_status_counts', 'objection_status_counts');

-- Notices by outcome, every email notification (in a campaign or not): sent once the relay took it
-- (sent, seen or clicked), failed once its retries ran out.
CREATE FUNCTION notice_email_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  source text := changed_rows_sql(TG_OP, 'r.channel, r.status', 'status');
BEGIN
  EXECUTE format($sql$
    INSERT INTO "EmailCounter" (kind, outcome, shard, count)
    SELECT 'notice', outcome, counter_shard(), sum(sign)
    FROM (SELECT sign, CASE WHEN status IN ('sent', 'seen', 'clicked') THEN 'sent' ELSE 'failed' END::"EmailOutcome" AS outcome
          FROM (%s) c WHERE channel = 'email' AND status IN ('sent', 'seen', 'clicked', 'failed')) e
    GROUP BY outcome HAVING sum(sign) <> 0
    ON CONFLICT (kind, outcome, shard) DO UPDATE SET count = "EmailCounter".count + EXCLUDED.count
  $sql$, source);
  RETURN NULL;
END
$fn$;

SELECT create_counting_triggers('Notification', 'Notification_email_counts', 'notice_email_counts');

-- Receipts by outcome: ObjectionEvent is append-only, so only inserts count.
CREATE FUNCTION receipt_email_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "EmailCounter" (kind, outcome, shard, count)
  SELECT 'receipt', CASE type WHEN 'receipt_sent' THEN 'sent' ELSE 'failed' END::"EmailOutcome", counter_shard(), count(*)
  FROM new_rows WHERE type IN ('receipt_sent', 'receipt_failed') GROUP BY type
  ON CONFLICT (kind, outcome, shard) DO UPDATE SET count = "EmailCounter".count + EXCLUDED.count;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER "ObjectionEvent_receipt_counts" AFTER INSERT ON "ObjectionEvent" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION receipt_email_counts();

-- What the tables hold so far, counted once.
INSERT INTO "ObjectionStatusCounter" (status, shard, count) SELECT status, 0, count(*) FROM "Objection" GROUP BY status;
INSERT INTO "EmailCounter" (kind, outcome, shard, count)
SELECT 'notice', CASE WHEN status = 'failed' THEN 'failed' ELSE 'sent' END::"EmailOutcome", 0, count(*)
FROM "Notification" WHERE channel = 'email' AND status IN ('sent', 'seen', 'clicked', 'failed')
GROUP BY 2;
INSERT INTO "EmailCounter" (kind, outcome, shard, count)
SELECT 'receipt', CASE type WHEN 'receipt_sent' THEN 'sent' ELSE 'failed' END::"EmailOutcome", 0, count(*)
FROM "ObjectionEvent" WHERE type IN ('receipt_sent', 'receipt_failed') GROUP BY 2;
