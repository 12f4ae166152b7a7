import "server-only";

import Cursor from "pg-cursor";
import { stringify } from "csv-stringify/sync";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { auditableObjectionFilters, type TObjectionFilters } from "@/lib/objections/objection-filters";
import { objectionFilterSql, objectionOrderSql, objectionsCsvSql } from "@/lib/objections/objection-sql";
import { pgPool } from "@/lib/pg";

export const DOWNLOAD_BATCH_SIZE = 2_000;

export const DOWNLOAD_COLUMNS = [
  "objection_id",
  "email",
  "member_external_id",
  "country",
  "source",
  "status",
  "effective_at",
  "withdrawn_at",
  "has_reason",
  "spam",
  "rejection_pending",
] as const;

type TDownloadRow = Record<(typeof DOWNLOAD_COLUMNS)[number], string>;

/** The file's name for a download started at `at`: no filter values in it, they may be an address. */
export const downloadFileName = (at: Date) => `objections-${at.toISOString().slice(0, 10)}.csv`;

/**
 * The filtered queue as CSV, streamed: a pg cursor reads a batch at a time, only when the client is
 * ready for more, so memory stays flat at a million rows. Unlike the list, addresses are in full,
 * hence role reviewer. An `objections_download` audit event is written before the first row (so a
 * crash mid-stream still leaves one), and another when the stream ends or the client goes away,
 * with the rows sent. Filters are recorded; a search's text never is.
 */
export const downloadObjectionsCsv = async ({ actor, filters, batchSize = DOWNLOAD_BATCH_SIZE }: { actor: TActor; filters: TObjectionFilters; batchSize?: number }) => {
  assertRole(actor, "reviewer");
  const query = objectionFilterSql(filters);
  const order = objectionOrderSql(filters, null, query);
  const text = objectionsCsvSql({ query, order });

  const audited = auditableObjectionFilters(filters);
  await db().$transaction((tx) => recordAuditEvent(tx, { actor, action: "objections_download", detail: { filters: audited, started: true } }));

  const client = await pgPool().connect();
  let cursor: Cursor<TDownloadRow> | undefined;
  let rowsSent = 0;
  let finished = false;

  const finish = async (complete: boolean) => {
    if (finished) return;
    finished = true;
    await cursor?.close().catch(() => undefined);
    client.release();
    await db().$transaction((tx) =>
      recordAuditEvent(tx, { actor, action: "objections_download", detail: { filters: audited, rows: rowsSent, complete } }),
    );
  };

  try {
    cursor = client.query(new Cursor<TDownloadRow>(text, query.values));
  } catch (error) {
    client.release();
    throw error;
  }

  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start: (controller) => {
      controller.enqueue(encoder.encode(stringify([], { header: true, columns: [...DOWNLOAD_COLUMNS] })));
    },
    pull: async (controller) => {
      try {
        const rows = await cursor!.read(batchSize);
        if (rows.length) {
          // escape_formulas: a cell starting with = + - @ cannot run as a formula in a spreadsheet.
          controller.enqueue(encoder.encode(stringify(rows, { columns: [...DOWNLOAD_COLUMNS], escape_formulas: true })));
          rowsSent += rows.length;
        }
        if (rows.length < batchSize) {
          await finish(true);
          controller.close();
        }
      } catch (error) {
        await finish(false).catch(() => undefined);
        controller.error(error);
      }
    },
    cancel: async () => {
      await finish(false);
    },
  });
};
