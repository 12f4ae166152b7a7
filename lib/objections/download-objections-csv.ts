import "server-only";

import Cursor from "pg-cursor";
import { stringify } from "csv-stringify/sync";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { type TCsvWithAddresses, ZCsvWithAddresses } from "@/lib/objections/download-schema";
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

/** The default file: everything but the address (lib/admins/masking.ts: the console hands out addresses only with a reason). */
export const DOWNLOAD_COLUMNS_WITHOUT_ADDRESSES = DOWNLOAD_COLUMNS.filter((column) => column !== "email");

type TDownloadRow = Record<(typeof DOWNLOAD_COLUMNS)[number], string>;

/** The file's name for a download started at `at`: no filter values in it, they may be an address. */
export const downloadFileName = (at: Date, { addresses = false }: { addresses?: boolean } = {}) => `objections${addresses ? "-with-addresses" : ""}-${at.toISOString().slice(0, 10)}.csv`;

/**
 * The filtered queue as CSV, streamed: a pg cursor reads a batch at a time, only when the client is
 * ready for more, so memory stays flat at a million rows. By default without addresses; with
 * `withAddresses` (the reviewer's typed reason) the addresses are in full. Role reviewer either way.
 * An `objections_download` audit event is written before the first row (so a crash mid-stream still
 * leaves one), and another when the stream ends or the client goes away, with the rows sent. Both
 * say whether addresses were in it, and why. Filters are recorded; a search's text never is.
 */
export const downloadObjectionsCsv = async ({
  actor,
  filters,
  withAddresses,
  batchSize = DOWNLOAD_BATCH_SIZE,
}: {
  actor: TActor;
  filters: TObjectionFilters;
  withAddresses?: TCsvWithAddresses;
  batchSize?: number;
}) => {
  assertRole(actor, "reviewer");
  const why = withAddresses ? parseAdminInput(ZCsvWithAddresses, withAddresses) : undefined;
  const columns = why ? [...DOWNLOAD_COLUMNS] : DOWNLOAD_COLUMNS_WITHOUT_ADDRESSES;
  const query = objectionFilterSql(filters);
  const order = objectionOrderSql(filters, null, query);
  const text = objectionsCsvSql({ query, order, addresses: !!why });

  const audited = { filters: auditableObjectionFilters(filters), addresses: !!why, ...(why ? { reason: why.reason } : {}) };
  await db().$transaction((tx) => recordAuditEvent(tx, { actor, action: "objections_download", detail: { ...audited, started: true } }));

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
      recordAuditEvent(tx, { actor, action: "objections_download", detail: { ...audited, rows: rowsSent, complete } }),
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
      controller.enqueue(encoder.encode(stringify([], { header: true, columns })));
    },
    pull: async (controller) => {
      try {
        const rows = await cursor!.read(batchSize);
        if (rows.length) {
          // escape_formulas: a cell starting with = + - @ cannot run as a formula in a spreadsheet.
          controller.enqueue(encoder.encode(stringify(rows, { columns, escape_formulas: true })));
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
