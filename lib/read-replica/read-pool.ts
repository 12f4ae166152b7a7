import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { keepConnectionErrors } from "@/lib/pg";

/** The most connections a process opens to DATABASE_READ_URL: the replica's reads and its health check share them. */
export const READ_POOL_SIZE = 4;

/** How long a read waits for a replica connection, and the health check for its answer, before the primary is used instead. */
export const REPLICA_TIMEOUT_MS = 1000;

type TReadSide = { pool: pg.Pool; db: PrismaClient };

const globalForRead = globalThis as unknown as { readSide?: TReadSide };

const createReadSide = (url: string): TReadSide => {
  const pool = keepConnectionErrors(new pg.Pool({ connectionString: url, max: READ_POOL_SIZE, application_name: "objection-read", connectionTimeoutMillis: REPLICA_TIMEOUT_MS }), "idle read connection lost");
  return { pool, db: new PrismaClient({ adapter: new PrismaPg(pool) }) };
};

/**
 * The replica's pool and a Prisma client over it, opened on first use; null when DATABASE_READ_URL
 * is unset (no connection, no client). Only readOnReplica() and the health check use it.
 */
export const readSide = (): TReadSide | null => {
  const url = env().DATABASE_READ_URL;
  if (!url) return null;
  return (globalForRead.readSide ??= createReadSide(url));
};

/** Closes the replica's connections; the next use opens a new pool. */
export const closeReadPool = async () => {
  const side = globalForRead.readSide;
  globalForRead.readSide = undefined;
  await side?.pool.end();
};
