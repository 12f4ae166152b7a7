import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { ZEnv } from "@/lib/env";
import { ENV_DOCS, ENV_TABLE_END, ENV_TABLE_START, envTable, type TEnvDoc, withEnvTable } from "@/lib/env-docs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const operations = () => readFileSync(path.join(ROOT, "docs/operations.md"), "utf8");
const docs = Object.entries(ENV_DOCS) as [string, TEnvDoc][];
const schemaVariables = Object.keys(ZEnv.in.shape);

// What the running app reads from process.env without lib/env.ts, and why no operator sets it.
const NOT_SETTINGS: Record<string, string> = {
  NEXT_RUNTIME: "set by Next.js",
  NODE_ENV: "set by Next.js",
  AUTH_URL: "set by instrumentation.ts from APP_URL, for Auth.js",
  OBJECTION_SERVICE: "set by each entry point, names the process in its logs",
  AWS_REGION: "the AWS SDK's own (docs/export-format.md, docs/nightly-export.md)",
  AWS_DEFAULT_REGION: "the AWS SDK's own",
};

/** Every `process.env.NAME` in the app's and the worker's code (tests, benches and the demo aside). */
const variablesReadOutsideEnv = () => {
  const files = (folder: string): string[] =>
    readdirSync(path.join(ROOT, folder)).flatMap((name) => {
      const relative = path.join(folder, name);
      if (statSync(path.join(ROOT, relative)).isDirectory()) return name === "generated" ? [] : files(relative);
      return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [relative] : [];
    });
  const sources = [...files("app"), ...files("lib"), ...files("components"), "proxy.ts", "instrumentation.ts", "scripts/worker.ts", "scripts/bounces.ts"];
  return new Set(sources.flatMap((file) => [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map(([, name = ""]) => name)));
};

describe("the table of environment variables in docs/operations.md", () => {
  it("is the table `npm run docs:env` makes from ZEnv and lib/env-docs.ts now", () => {
    const markdown = operations();
    expect(markdown.split(ENV_TABLE_START)).toHaveLength(2);
    expect(markdown.split(ENV_TABLE_END)).toHaveLength(2);
    expect(markdown, "run `npm run docs:env`").toBe(withEnvTable(markdown, envTable()));
  });

  it("has a row for every variable of ZEnv, and for no other unless it names who reads it", () => {
    expect(docs.filter(([, doc]) => !doc.readBy).map(([name]) => name).sort()).toEqual([...schemaVariables].sort());
    expect(docs.filter(([name, doc]) => doc.readBy && schemaVariables.includes(name))).toEqual([]);
  });

  it("names, for a variable lib/env.ts does not read, a file that reads it", () => {
    for (const [name, doc] of docs.filter(([, doc]) => doc.readBy)) {
      expect(readFileSync(path.join(ROOT, doc.readBy!.file), "utf8"), `${doc.readBy!.file} reads ${name}`).toContain(name);
    }
  });

  it("documents every variable the app and the worker read from process.env", () => {
    const undocumented = [...variablesReadOutsideEnv()].filter((name) => !(name in ENV_DOCS) && !(name in NOT_SETTINGS));
    expect(undocumented, "add each to lib/env-docs.ts (readBy), then run `npm run docs:env`").toEqual([]);
  });

  it("says yes for what start-up requires, and gives the schema's default", () => {
    const rows = new Map(
      envTable()
        .split("\n")
        .slice(2)
        .map((row): [string, string] => {
          const [name = "", required = ""] = row.split(" | ");
          return [name, required];
        }),
    );
    expect(rows.get("| `DATABASE_URL`")).toBe("yes");
    expect(rows.get("| `DATABASE_POOL_SIZE`")).toBe("no (10)");
    expect(rows.get("| `EXPORT_CRON`")).toBe("no (`0 2 * * *`)");
    expect(rows.get("| `DKIM_DOMAIN`")).toBe("no");
    expect(rows.get("| `AUTH_SECRET`")).toBe("for the admin console");
  });
});
