// `npm run docs:env`: writes the table of environment variables into docs/operations.md, between
// its env-table markers, from ZEnv (lib/env.ts) and what lib/env-docs.ts says each one means. Run it
// after adding or changing a variable; lib/env-docs.test.ts fails until the table agrees.
import { readFileSync, writeFileSync } from "node:fs";

import { envTable, withEnvTable } from "@/lib/env-docs";

const FILE = "docs/operations.md";

const main = () => {
  const before = readFileSync(FILE, "utf8");
  const after = withEnvTable(before, envTable());
  if (after === before) return void console.error(`${FILE}: the table of environment variables is up to date.`);
  writeFileSync(FILE, after);
  console.error(`Wrote the table of environment variables into ${FILE}.`);
};

main();
