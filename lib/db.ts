import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";

import { PrismaClient } from "@/lib/generated/prisma/client";
import { pgPool } from "@/lib/pg";

const globalForPrisma = globalThis as unknown as { prisma?: { client: PrismaClient; pool: pg.Pool } };

/**
 * The Prisma singleton; created on first use so that importing this file never needs a database.
 * Its adapter borrows connections from the process's one pool (lib/pg.ts: the connection budget),
 * and a pool closed by closePgPool() gets a client over its successor. `$disconnect()` leaves the
 * pool open: closePgPool() closes it.
 */
export const db = (): PrismaClient => {
  const pool = pgPool();
  if (globalForPrisma.prisma?.pool !== pool) globalForPrisma.prisma = { client: new PrismaClient({ adapter: new PrismaPg(pool) }), pool };
  return globalForPrisma.prisma.client;
};
