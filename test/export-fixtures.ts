import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { parse } from "csv-parse/sync";
import type pg from "pg";

import { systemActor } from "@/lib/auth/actor";
import type { TExportFormat } from "@/lib/exports/export-manifest";
import type { TExportStorage } from "@/lib/exports/export-storage";
import { parseSigningKey, publicKeyOf } from "@/lib/exports/signing-key";
import { QUEUES } from "@/lib/jobs";
import { TEST_ENV } from "@/test/test-env";

export const TEST_SIGNING_KEY = parseSigningKey(TEST_ENV.EXPORT_SIGNING_KEY)!;
export const TEST_PUBLIC_KEY = publicKeyOf(TEST_SIGNING_KEY);

/** The nightly export job, the actor every export command in the tests acts as. */
export const NIGHTLY_EXPORT_ACTOR = systemActor(QUEUES.exportNightly.name);

/** What runExport needs, with the test keys, as the nightly job runs it. */
export const exportSettingsFor = ({ storage, format = "csv" }: { storage: TExportStorage; format?: TExportFormat }) => ({
  actor: NIGHTLY_EXPORT_ACTOR,
  storage,
  format,
  hashKey: TEST_ENV.EXPORT_HASH_KEY,
  hashKeyId: "test-hash-key",
  signingKey: TEST_SIGNING_KEY,
});

/** Members with unique ids and addresses; returns their ids in order. */
export const insertMembers = async ({ pool, count, prefix = "member" }: { pool: pg.Pool; count: number; prefix?: string }) => {
  const tag = `${prefix}-${randomUUID().slice(0, 8)}`;
  const { rows } = await pool.query<{ id: string; externalId: string; email: string }>(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate")
     SELECT $1 || '-' || i, $1 || '-' || i || '@example.eu', 'DE', '1980-01-01' FROM generate_series(1, $2::int) AS i
     RETURNING id, "externalId", email`,
    [tag, count],
  );
  return rows;
};

/** An effective objection for a member, as the form stores it; returns its id. */
export const objectFor = async ({ db, member }: { db: Pick<pg.Pool, "query">; member: { id: string; email: string } }) =>
  (await db.query<{ id: string }>(`INSERT INTO "Objection" ("memberId", email, country, source) VALUES ($1, $2, 'DE', 'email_link') RETURNING id`, [member.id, member.email])).rows[0]!.id;

export const withdraw = async ({ db, objectionId }: { db: Pick<pg.Pool, "query">; objectionId: string }) =>
  db.query(`UPDATE "Objection" SET status = 'withdrawn', "withdrawnAt" = now() WHERE id = $1 AND status = 'effective'`, [objectionId]);

export type TExportRow = Record<string, string>;

/** A CSV export file's rows, parsed with csv-parse. */
export const readCsvRows = ({ folder, runId, name }: { folder: string; runId: string; name: string }) =>
  parse(readFileSync(path.join(folder, runId, name)), { columns: true }) as TExportRow[];

/**
 * Applies a delta to a snapshot the way docs/export-format.md tells the pipeline to: by
 * objection_id, in seq order. Returns the rows in seq order.
 */
export const applyDelta = ({ snapshot, delta }: { snapshot: TExportRow[]; delta: TExportRow[] }) => {
  const held = new Map(snapshot.map((row) => [row.objection_id, row]));
  for (const { op, ...row } of [...delta].sort((a, b) => Number(a.seq) - Number(b.seq))) {
    if (op === "remove") held.delete(row.objection_id!);
    else held.set(row.objection_id!, row);
  }
  return [...held.values()].sort((a, b) => Number(a.seq) - Number(b.seq));
};

/** Who a pipeline applying these rows leaves out: members by external id, people without an account by email hash. */
export const excludedPeople = (rows: TExportRow[]) => new Set(rows.map((row) => row.member_external_id || row.email_hmac));
