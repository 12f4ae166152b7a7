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
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
} satisfies PrismaConfig;
