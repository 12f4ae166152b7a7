import "server-only";

import { Readable } from "node:stream";

import type pg from "pg";
import Cursor from "pg-cursor";

import { EVIDENCE_AUDIT_SQL, type TEvidenceAuditRow } from "@/lib/evidence/evidence-sql";
import { redactAddresses } from "@/lib/mail";

const AUDIT_BATCH = 1_000;

/** Every string in an event's detail with any address taken out: the log keeps none, this makes sure of it. */
const redacted = (value: unknown): unknown => {
  if (typeof value === "string") return redactAddresses(value);
  if (Array.isArray(value)) return value.map(redacted);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redacted(item)]));
  return value;
};

/**
 * audit.jsonl: the campaign's audit events, one JSON object a line, read by a cursor on the pack's
 * connection a batch at a time, as the ZIP asks for more.
 */
export const evidenceAuditLines = ({ client, campaignId }: { client: pg.PoolClient; campaignId: string }) => {
  let rows = 0;
  const cursor = client.query(new Cursor<TEvidenceAuditRow>(EVIDENCE_AUDIT_SQL, [campaignId]));
  const lines = async function* () {
    try {
      for (;;) {
        const batch = await cursor.read(AUDIT_BATCH);
        if (batch.length === 0) return;
        rows += batch.length;
        yield Buffer.from(batch.map((row) => `${JSON.stringify({ ...row, id: Number(row.id), detail: redacted(row.detail) })}\n`).join(""), "utf8");
      }
    } finally {
      await cursor.close().catch(() => undefined);
    }
  };
  return { stream: Readable.from(lines(), { objectMode: false }), rows: () => rows };
};
