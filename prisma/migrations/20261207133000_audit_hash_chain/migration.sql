-- A tamper-evident audit log (docs/operations.md, "Tamper-evident audit log"): each row of
-- "AuditEvent" and "ObjectionEvent" gets, once, its place in its table's hash chain (chainSeq), its
-- predecessor's hash (prevHash) and its own hash = sha256(prevHash || RFC 8785 JSON of its columns).
-- Rows are inserted unchained, as before, by every insert path, and queued in "AuditChainPending"
-- by a statement trigger; the worker's chainer (lib/audit/chain-audit-log.ts) chains them in
-- batches. The columns are added without a default: no table is rewritten, and existing rows are
-- queued here and chained by the same job (the backfill).

-- AlterTable
ALTER TABLE "ObjectionEvent" ADD COLUMN     "chainSeq" BIGINT,
ADD COLUMN     "hash" BYTEA,
ADD COLUMN     "prevHash" BYTEA;

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "chainSeq" BIGINT,
ADD COLUMN     "hash" BYTEA,
ADD COLUMN     "prevHash" BYTEA;

-- CreateTable
CREATE TABLE "AuditChainHead" (
    "chain" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,
    "chainedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditChainHead_pkey" PRIMARY KEY ("chain")
);

-- Each chain starts at seq 0 with 32 zero bytes as its "previous hash".
INSERT INTO "AuditChainHead" (chain, seq, hash) VALUES
  ('AuditEvent', 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea),
  ('ObjectionEvent', 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);

-- The chain's order, unique where set: the verifier's keyset pages. Partial, so an unchained row
-- has no entry.
CREATE UNIQUE INDEX "ObjectionEvent_chainSeq_key" ON "ObjectionEvent"("chainSeq") WHERE "chainSeq" IS NOT NULL;
CREATE UNIQUE INDEX "AuditEvent_chainSeq_key" ON "AuditEvent"("chainSeq") WHERE "chainSeq" IS NOT NULL;

-- The rows still to chain, by chain and id: the chainer's queue. A partial index of unchained rows
-- on the big tables would keep an entry for every chained row's old version until the table is
-- vacuumed, and each poll would walk them all (320,000 took 4.9 s); this table stays as small as
-- the chainer's lag, and autovacuum keeps it so cheaply.
CREATE TABLE "AuditChainPending" (
    "chain" TEXT NOT NULL,
    "id" BIGINT NOT NULL,

    CONSTRAINT "AuditChainPending_pkey" PRIMARY KEY ("chain","id")
);

-- Every insert, by any path, queues its rows: one statement-level trigger per insert statement.
CREATE FUNCTION audit_chain_pending() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "AuditChainPending" (chain, id) SELECT TG_TABLE_NAME, id FROM new_rows;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER "ObjectionEvent_chain_pending" AFTER INSERT ON "ObjectionEvent" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_pending();
CREATE TRIGGER "AuditEvent_chain_pending" AFTER INSERT ON "AuditEvent" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_pending();

-- The backfill: every existing row waits to be chained, by the worker's chainer like any other.
INSERT INTO "AuditChainPending" (chain, id) SELECT 'AuditEvent', id FROM "AuditEvent";
INSERT INTO "AuditChainPending" (chain, id) SELECT 'ObjectionEvent', id FROM "ObjectionEvent";

-- A chained row is whole: all three columns or none, and a hash is 32 bytes.
ALTER TABLE "ObjectionEvent" ADD CONSTRAINT "ObjectionEvent_chain_columns" CHECK (
  ("chainSeq" IS NULL AND "prevHash" IS NULL AND hash IS NULL)
  OR ("chainSeq" > 0 AND length("prevHash") = 32 AND length(hash) = 32)
);
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_chain_columns" CHECK (
  ("chainSeq" IS NULL AND "prevHash" IS NULL AND hash IS NULL)
  OR ("chainSeq" > 0 AND length("prevHash") = 32 AND length(hash) = 32)
);

-- Still append-only, with one exception: a row's one chaining, which sets the three chain columns
-- from NULL and leaves every other column as it was. A second chaining, a change of content (with
-- or without the chain columns), DELETE and TRUNCATE are refused as before. The new row, its chain
-- columns cleared, must equal the old one (an unchained row's are NULL, by the CHECK above): a
-- whole-row comparison, so a column added later is covered without a change here, and cheaper for
-- the chainer than comparing jsonb images (scripts/bench/audit-chain.ts).
CREATE FUNCTION audit_chain_only_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  content record;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."chainSeq" IS NULL AND NEW."chainSeq" IS NOT NULL THEN
    content := NEW;
    content."chainSeq" := NULL;
    content."prevHash" := NULL;
    content.hash := NULL;
    IF content IS NOT DISTINCT FROM OLD THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$fn$;

-- The row triggers change function; the TRUNCATE triggers keep theirs, which refuses everything.
DROP TRIGGER "ObjectionEvent_append_only" ON "ObjectionEvent";
CREATE TRIGGER "ObjectionEvent_append_only" BEFORE UPDATE OR DELETE ON "ObjectionEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_chain_only_update();
DROP TRIGGER "AuditEvent_append_only" ON "AuditEvent";
CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_chain_only_update();
