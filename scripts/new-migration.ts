// `npm run db:migration -- <name> [--from <git rev>]`: writes the next migration by diffing the
// schema at a git revision (default HEAD) against prisma/schema.prisma. `prisma migrate dev`
// cannot run here (see docs/operations.md, "Migrations"), so this is how migrations are made.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { z } from "zod";

const ZArgs = z.object({
  name: z.string({ error: "Give the migration a name: npm run db:migration -- add_campaigns" }).regex(/^[a-z][a-z0-9_]{2,60}$/, {
    error: "The name must be snake_case: lower-case letters, digits and underscores, e.g. add_campaigns",
  }),
  from: z.string().default("HEAD"),
});

const SCHEMA = "prisma/schema.prisma";

const main = () => {
  if (!process.env.DATABASE_URL && existsSync(".env")) process.loadEnvFile(".env");
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is missing: Prisma's diff connects through the adapter, so point it at any PostgreSQL database.");
    process.exit(2);
  }
  const { values, positionals } = parseArgs({ options: { from: { type: "string" } }, allowPositionals: true });
  const parsed = ZArgs.safeParse({ name: positionals[0], from: values.from });
  if (!parsed.success) {
    console.error(parsed.error.issues[0]?.message);
    process.exit(2);
  }
  const { name, from } = parsed.data;

  let fromArgs = ["--from-empty"];
  try {
    const previous = execFileSync("git", ["show", `${from}:${SCHEMA}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const file = path.join(mkdtempSync(path.join(tmpdir(), "objection-schema-")), "schema.prisma");
    writeFileSync(file, previous);
    fromArgs = ["--from-schema-datamodel", file];
  } catch {
    console.log(`No ${SCHEMA} at ${from}: diffing from an empty database.`);
  }

  const sql = execFileSync(
    process.execPath,
    ["node_modules/prisma/build/index.js", "migrate", "diff", ...fromArgs, "--to-schema-datamodel", SCHEMA, "--script"],
    { encoding: "utf8" },
  );
  if (/^-- This is an empty migration\.\s*$/.test(sql.trim())) {
    console.log(`No schema changes since ${from}: nothing written.`);
    return;
  }

  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`Wrote ${dir}/migration.sql. Read it, add what Prisma cannot express (partial indexes, triggers), then commit it.`);
};

main();
