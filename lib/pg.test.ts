import { createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { closePgPool, inTransaction, isDatabaseUnreachable } from "@/lib/pg";
import { ADMIN_DATABASE_URL } from "@/test/test-database";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isDatabaseUnreachable", () => {
  it("is true for a server shutting down or starting, a refused or reset socket, and a connection lost", () => {
    expect(isDatabaseUnreachable(withCode("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isDatabaseUnreachable(withCode("the database system is shutting down", "57P03"))).toBe(true);
    expect(isDatabaseUnreachable(withCode("connection failure", "08006"))).toBe(true);
    expect(isDatabaseUnreachable(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnreachable(new Error("Connection terminated unexpectedly"))).toBe(true);
  });

  it("is true for what PgBouncer answers when it cannot reach the server or take more clients (its own errors are all 08P01)", () => {
    expect(isDatabaseUnreachable(withCode("server login has been failing, try again later (server_login_retry)", "08P01"))).toBe(true);
    expect(isDatabaseUnreachable(withCode("no more connections allowed (max_client_conn)", "08P01"))).toBe(true);
    expect(isDatabaseUnreachable(withCode("query_wait_timeout", "08P01"))).toBe(true);
    expect(isDatabaseUnreachable(withCode("server conn crashed?", "08P01"))).toBe(true);
  });

  it("is false for a fault in the statement or anything that is not an error", () => {
    expect(isDatabaseUnreachable(withCode('duplicate key value violates unique constraint "x"', "23505"))).toBe(false);
    expect(isDatabaseUnreachable(withCode("invalid byte sequence for encoding", "22021"))).toBe(false);
    expect(isDatabaseUnreachable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnreachable("57P01")).toBe(false);
    expect(isDatabaseUnreachable(undefined)).toBe(false);
  });

  it("is true for the error a closed port gives", async () => {
    const client = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:1/postgres" });
    const error = await client.connect().catch((caught: unknown) => caught);
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it("is true when no connection can be had in time: a server that takes the connection and never answers the login, as PgBouncer does while its server is down", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const pool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 200 });
    try {
      const error = await pool.query("SELECT 1").catch((caught: unknown) => caught);
      expect(isDatabaseUnreachable(error)).toBe(true);
    } finally {
      await pool.end();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("is true when every connection of the pool stays busy past the wait", async () => {
    const pool = new pg.Pool({ connectionString: ADMIN_DATABASE_URL, max: 1, connectionTimeoutMillis: 200 });
    const held = await pool.connect();
    try {
      const error = await pool.query("SELECT 1").catch((caught: unknown) => caught);
      expect(isDatabaseUnreachable(error)).toBe(true);
    } finally {
      held.release();
      await pool.end();
    }
  });
});

describe("the process's pool when the server ends a connection it has handed out", () => {
  afterAll(() => closePgPool());

  it("rejects the transaction as unreachable, never ends the process, and the next transaction gets a fresh connection", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => void uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      // The server ends the backend (as a restart does) while the transaction holds it between statements.
      const error = await inTransaction(async (client) => {
        const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
        const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await admin.connect();
        await admin.query("SELECT pg_terminate_backend($1)", [pid]).finally(() => admin.end());
        await sleep(200);
        await client.query("SELECT 1");
      }).catch((caught: unknown) => caught);
      expect(isDatabaseUnreachable(error)).toBe(true);
      expect(await inTransaction(async (client) => (await client.query<{ one: number }>("SELECT 1 AS one")).rows[0]!.one)).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });
});
