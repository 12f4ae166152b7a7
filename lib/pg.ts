import "server-only";

import pg from "pg";

import { env } from "@/lib/env";

const globalForPg = globalThis as unknown as { pgPool?: pg.Pool };

/** Raw `pg` for bulk paths (audience, send batches) where Prisma's per-row cost is too high. */
// Hot statements are prepared once per connection, but planned for their values every time: a
// generic plan made while a table was small would keep scanning it once it has grown. Only export
// runs use temporary tables; a session allocates temp buffers as it uses them, so the larger limit
// costs nothing elsewhere (it can only be set before a session's first temporary table).
const createPool = () =>
  new pg.Pool({
    connectionString: env().DATABASE_URL,
    max: env().DATABASE_POOL_SIZE,
    application_name: "objection",
    options: "-c plan_cache_mode=force_custom_plan -c temp_buffers=64MB",
  });

export const pgPool = (): pg.Pool => (globalForPg.pgPool ??= createPool());

/** Runs `work` in one transaction on one connection; rolls back if it throws. */
export const inTransaction = async <T>(work: (client: pg.PoolClient) => Promise<T>, { isolation }: { isolation?: "REPEATABLE READ" | "SERIALIZABLE" } = {}) => {
  const client = await pgPool().connect();
  try {
    await client.query(isolation ? `BEGIN ISOLATION LEVEL ${isolation}` : "BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

export const closePgPool = async () => {
  const pool = globalForPg.pgPool;
  globalForPg.pgPool = undefined;
  await pool?.end();
};
