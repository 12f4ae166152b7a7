import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import pg from "pg";

import { migrateDatabase } from "../scripts/lib/stack";

/** The machine's PostgreSQL; tests create their own database on it and drop it afterwards. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * The run's migrated template (set by the global setups): a test database is then a copy of it,
 * made by PostgreSQL in a fraction of a second, instead of a `prisma migrate deploy` of its own.
 */
export const TEMPLATE_DATABASE_VARIABLE = "TEST_TEMPLATE_DATABASE";

const withAdmin = async <T>(run: (client: pg.Client) => Promise<T>) => {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};

const urlOf = (name: string) => {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/** A name no other run on this shared server has: the prefix, the time and a random tail. */
export const uniqueDatabaseName = (prefix: string) => `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;

const migrate = (url: string) => migrateDatabase({ DATABASE_URL: url });

/** Creates and migrates the run's template database; its name goes in TEST_TEMPLATE_DATABASE. */
export const createTemplateDatabase = async (prefix: string) => {
  const name = uniqueDatabaseName(`${prefix}_template`);
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  await migrate(urlOf(name));
  return name;
};

/** Creates a fresh, migrated database (a copy of the run's template when there is one) and returns its URL. */
export const createTestDatabase = async (prefix: string) => {
  const name = uniqueDatabaseName(prefix);
  const template = process.env[TEMPLATE_DATABASE_VARIABLE];
  await withAdmin((client) => client.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`));
  if (!template) await migrate(urlOf(name));
  return { name, url: urlOf(name) };
};

const MIGRATIONS = "prisma/migrations";

/** A migration's SQL, by its folder's name. */
export const migrationSql = (name: string) => readFileSync(path.join(MIGRATIONS, name, "migration.sql"), "utf8");

/**
 * A new database with every migration before `before` (a migration folder's name) applied, and
 * not that one: a data migration's test writes rows as the code before it did, then runs it.
 */
export const createDatabaseBefore = async ({ prefix, before }: { prefix: string; before: string }) => {
  const name = uniqueDatabaseName(prefix);
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const earlier = readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name < before)
    .map((entry) => entry.name)
    .sort();
  const client = new pg.Client({ connectionString: urlOf(name) });
  await client.connect();
  try {
    for (const migration of earlier) await client.query(migrationSql(migration));
  } finally {
    await client.end();
  }
  return { name, url: urlOf(name) };
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

/** Drops every database whose name starts with `prefix` (a run's per-file databases, once their processes are gone). */
export const dropTestDatabasesLike = async (prefix: string) => {
  await withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
};

/**
 * A global setup's part: migrates the run's template, names it in TEST_TEMPLATE_DATABASE (with
 * TEST_ENV) for the test processes, and returns the teardown that drops it.
 */
export const setupTemplateDatabase = async ({ prefix, env }: { prefix: string; env: Record<string, string> }) => {
  const template = await createTemplateDatabase(prefix);
  Object.assign(process.env, env, { [TEMPLATE_DATABASE_VARIABLE]: template });
  return () => dropTestDatabase(template);
};
