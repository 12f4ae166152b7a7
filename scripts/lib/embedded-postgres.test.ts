import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import Cursor from "pg-cursor";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { serveEmbeddedPostgres } from "./embedded-postgres";

// The embedded server must give every client connection the session semantics PostgreSQL gives:
// these are the ways pglite-socket's one shared session broke the demo.
describe("embedded PostgreSQL server", () => {
  let db: PGlite;
  let server: Awaited<ReturnType<typeof serveEmbeddedPostgres>>;
  let url: string;

  beforeAll(async () => {
    db = await PGlite.create();
    server = await serveEmbeddedPostgres({ db, port: 0 });
    url = `postgresql://postgres:postgres@127.0.0.1:${server.port}/postgres`;
  });

  afterAll(async () => {
    await server.stop();
    await db.close();
  });

  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  };

  it("lets every connection prepare a statement under the same name", async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, connect));
    const results = await Promise.all(
      clients.flatMap((client, index) =>
        Array.from({ length: 25 }, (_, round) => client.query<{ n: number }>({ name: "same-name", text: "SELECT $1::int * 10 AS n", values: [index * 100 + round] })),
      ),
    );
    expect(results.map((result) => result.rows[0]!.n)).toEqual(clients.flatMap((_, index) => Array.from({ length: 25 }, (_, round) => (index * 100 + round) * 10)));
    await Promise.all(clients.map((client) => client.end()));
  });

  it("never binds one connection's parameters to another connection's statement", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    const queries = Array.from({ length: 400 }, (_, index) =>
      index % 2 === 0
        ? pool.query<{ value: string }>("SELECT $1::text || '-text' AS value", [`t${index}`]).then((result) => [result.rows[0]!.value, `t${index}-text`])
        : pool.query<{ value: string }>("SELECT ($1::int * 2)::text AS value", [index]).then((result) => [result.rows[0]!.value, String(index * 2)]),
    );
    for (const [got, wanted] of await Promise.all(queries)) expect(got).toBe(wanted);
    await pool.end();
  });

  it("keeps another connection's statements out of an open transaction", async () => {
    const setup = await connect();
    await setup.query("CREATE TABLE tx_probe (label text)");
    const [inTransaction, outside] = [await connect(), await connect()];
    await inTransaction.query("BEGIN");
    await inTransaction.query("INSERT INTO tx_probe VALUES ('rolled back')");
    const outsideInsert = outside.query("INSERT INTO tx_probe VALUES ('committed')");
    await inTransaction.query("ROLLBACK");
    await outsideInsert;
    const rows = await setup.query<{ label: string }>("SELECT label FROM tx_probe");
    expect(rows.rows.map((row) => row.label)).toEqual(["committed"]);
    await Promise.all([setup.end(), inTransaction.end(), outside.end()]);
  });

  it("rolls back the transaction and drops the statements of a connection that goes away", async () => {
    const setup = await connect();
    await setup.query("CREATE TABLE gone_probe (label text)");
    const leaving = await connect();
    await leaving.query({ name: "leaving-statement", text: "SELECT 1" });
    await leaving.query("BEGIN");
    await leaving.query("INSERT INTO gone_probe VALUES ('never committed')");
    await leaving.end();
    const rows = await setup.query("SELECT count(*)::int AS n FROM gone_probe");
    expect(rows.rows[0]!.n).toBe(0);
    const statements = await setup.query("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE '%leaving-statement'");
    expect(statements.rows[0]!.n).toBe(0);
    await setup.end();
  });

  it("serves a cursor read in steps while other connections query", async () => {
    const reader = await connect();
    const other = await connect();
    await reader.query("BEGIN");
    const cursor = reader.query(new Cursor("SELECT n FROM generate_series(1, 300) AS n"));
    const seen: number[] = [];
    const otherQueries: Promise<unknown>[] = [];
    for (;;) {
      const rows = await cursor.read(100);
      if (rows.length === 0) break;
      seen.push(...rows.map((row: { n: number }) => row.n));
      otherQueries.push(other.query("SELECT 1"));
    }
    await cursor.close();
    await reader.query("COMMIT");
    await Promise.all(otherQueries);
    expect(seen).toHaveLength(300);
    await Promise.all([reader.end(), other.end()]);
  });

  it("runs rate-limiter-flexible's named statements from a pool of connections", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 5 });
    const limiter = new RateLimiterPostgres({ storeClient: pool, tableName: "rate_probe", keyPrefix: "probe", points: 10_000, duration: 60 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, index) => limiter.consume(`key-${index % 7}`)));
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    await pool.end();
  });
});
