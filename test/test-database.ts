import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

import pg from "pg";

/** The machine's PostgreSQL; tests create their own database on it and drop it afterwards. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const withAdmin = async <T>(run: (client: pg.Client) => Promise<T>) => {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};

/** Creates a fresh, migrated database and returns its URL. */
export const createTestDatabase = async (prefix: string) => {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: "pipe",
  });
  return { name, url: url.toString() };
};

const CONNECTIONS_SQL = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`;

export const dropTestDatabase = async (name: string) => {
  await withAdmin(async (client) => {
    // A pool's end() resolves before its sockets have closed. Forcing the drop at once would end
    // those connections mid-goodbye, and the client reports that as an unhandled error: wait first.
    for (let tries = 0; tries < 30; tries++) {
      if ((await client.query<{ n: number }>(CONNECTIONS_SQL, [name])).rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
};
