import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";

import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

const createPrisma = () => new PrismaClient({ adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: env().DATABASE_POOL_SIZE }) });

/** The Prisma singleton; created on first use so that importing this file never needs a database. */
export const db = (): PrismaClient => (globalForPrisma.prisma ??= createPrisma());
