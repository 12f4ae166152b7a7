import { existsSync } from "node:fs";
import path from "node:path";

import { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaConfig } from "prisma";

// A config file turns off Prisma's own .env loading.
if (existsSync(".env")) process.loadEnvFile(".env");

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations"), seed: "tsx prisma/seed.ts" },
  // Migrations go to PostgreSQL itself: `migrate deploy` holds a session advisory lock, which a
  // pooler in transaction mode (DATABASE_URL may name PgBouncer) cannot keep (lib/pg.ts).
  // allowExitOnIdle: the CLI never ends the pool it is given; its idle connections would hold the
  // process open for the pool's idle timeout (10 s) after the last statement.
  adapter: async () => new PrismaPg({ connectionString: process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL, allowExitOnIdle: true }),
} satisfies PrismaConfig;
