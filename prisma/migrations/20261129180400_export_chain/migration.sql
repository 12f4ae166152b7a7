-- AlterTable
ALTER TABLE "ExportRun" RENAME COLUMN "directory" TO "location";
ALTER TABLE "ExportRun" ADD COLUMN     "filesDeletedAt" TIMESTAMPTZ(3),
ADD COLUMN     "hashKeyId" TEXT,
ADD COLUMN     "hashKeyCheck" TEXT,
ADD COLUMN     "lastSeq" BIGINT,
ADD COLUMN     "manifest" JSONB,
ADD COLUMN     "manifestWrittenAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ExportMember" (
    "objectionId" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "firstRunId" UUID NOT NULL,
    "member_external_id" TEXT NOT NULL,
    "email_hmac" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "effective_at" TEXT NOT NULL,

    CONSTRAINT "ExportMember_pkey" PRIMARY KEY ("objectionId")
);

-- CreateTable
CREATE TABLE "ExportPending" (
    "id" BIGSERIAL NOT NULL,
    "objectionId" UUID NOT NULL,

    CONSTRAINT "ExportPending_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ExportMember_seq_key" ON "ExportMember"("seq");


-- One normalisation of email for every lookup and the export's HMAC: trimmed, NFC, lower-cased
-- (lib/members/normalise-email.ts). New rows arrive normalised; this brings the old ones in line.
UPDATE "Member" SET email = lower(normalize(btrim(email), NFC)) WHERE email <> lower(normalize(btrim(email), NFC));
UPDATE "Objection" SET email = lower(normalize(btrim(email), NFC)) WHERE email <> lower(normalize(btrim(email), NFC));

-- Every change that can alter an objection's exported row marks it pending, in the same
-- transaction as the change. A run consumes only the marks its snapshot sees, so a change that
-- commits after the run's snapshot stays pending for the next run, whatever its timestamps say.
-- Inserted and deleted objections arrive under one transition table name, "changed".
CREATE FUNCTION "export_mark_objections"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ExportPending" ("objectionId") SELECT id FROM changed;
  RETURN NULL;
END $$;

CREATE FUNCTION "export_mark_updated_objections"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ExportPending" ("objectionId")
  SELECT n.id FROM updated_new n JOIN updated_old o ON o.id = n.id
  WHERE (n.status, n."memberId", n.email, n.country, n.source, n."effectiveAt") IS DISTINCT FROM (o.status, o."memberId", o.email, o.country, o.source, o."effectiveAt");
  RETURN NULL;
END $$;

CREATE FUNCTION "export_mark_renamed_members"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ExportPending" ("objectionId")
  SELECT ob.id FROM updated_new n JOIN updated_old o ON o.id = n.id JOIN "Objection" ob ON ob."memberId" = n.id
  WHERE n."externalId" IS DISTINCT FROM o."externalId";
  RETURN NULL;
END $$;

CREATE TRIGGER "Objection_export_insert" AFTER INSERT ON "Objection" REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION "export_mark_objections"();
CREATE TRIGGER "Objection_export_update" AFTER UPDATE ON "Objection" REFERENCING OLD TABLE AS updated_old NEW TABLE AS updated_new
  FOR EACH STATEMENT EXECUTE FUNCTION "export_mark_updated_objections"();
CREATE TRIGGER "Objection_export_delete" AFTER DELETE ON "Objection" REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION "export_mark_objections"();
CREATE TRIGGER "Member_export_update" AFTER UPDATE ON "Member" REFERENCING OLD TABLE AS updated_old NEW TABLE AS updated_new
  FOR EACH STATEMENT EXECUTE FUNCTION "export_mark_renamed_members"();

-- Schema version 2 starts a new chain: its first run holds every objection that is effective.
INSERT INTO "ExportPending" ("objectionId") SELECT id FROM "Objection";
