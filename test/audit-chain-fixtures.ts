import { randomUUID } from "node:crypto";

import pg from "pg";

import { createTestDatabase, dropTestDatabase } from "./test-database";

// The audit hash chain's tests: rows in "AuditEvent" and "ObjectionEvent" as any insert path
// writes them (unchained), and a superuser's edits with the append-only triggers off. Plain SQL.

type TDb = Pick<pg.Pool, "query">;

/** A database of its own for a test that breaks its chain on purpose, with a pool on it; `close()` drops it. */
export const chainDatabase = async () => {
  const database = await createTestDatabase("objection_chain");
  const pool = new pg.Pool({ connectionString: database.url, max: 8 });
  return {
    url: database.url,
    pool,
    close: async () => {
      await pool.end();
      await dropTestDatabase(database.name);
    },
  };
};

/** An objection to hang events on; its id. */
export const insertObjection = async (db: TDb) =>
  (await db.query<{ id: string }>(`INSERT INTO "Objection" (email, country, source) VALUES ($1, 'DE', 'direct') RETURNING id`, [`chain-${randomUUID()}@example.eu`])).rows[0]!.id;

/** An event of the objection, as the app writes one (no chain columns); its id. */
export const insertObjectionEvent = async ({ db, objectionId, detail = { note: randomUUID() } }: { db: TDb; objectionId: string; detail?: object }) =>
  (await db.query<{ id: string }>(`INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail) VALUES ($1, 'created', 'system', 'chain-test', $2) RETURNING id::text`, [objectionId, JSON.stringify(detail)]))
    .rows[0]!.id;

/** An audit event by the system, as recordAuditEvent writes one (`createdAt` now unless given: an old row the chainer never reached); its id. */
export const insertAuditEvent = async ({ db, detail = { note: randomUUID() }, createdAt }: { db: TDb; detail?: object; createdAt?: Date }) =>
  (await db.query<{ id: string }>(`INSERT INTO "AuditEvent" ("actorType", "actorJob", action, detail, "createdAt") VALUES ('system', 'chain-test', 'export_start', $1, coalesce($2, now())) RETURNING id::text`, [JSON.stringify(detail), createdAt ?? null]))
    .rows[0]!.id;

/** `sql` as a superuser does it: the table's append-only trigger off for one transaction. */
export const asSuperuser = async ({ pool, table, sql, values = [] }: { pool: pg.Pool; table: "AuditEvent" | "ObjectionEvent"; sql: string; values?: unknown[] }) => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`ALTER TABLE "${table}" DISABLE TRIGGER "${table}_append_only"`);
    const result = await client.query(sql, values);
    await client.query(`ALTER TABLE "${table}" ENABLE TRIGGER "${table}_append_only"`);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
};
