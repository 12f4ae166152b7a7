import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { run, startChild, waitForHttp } from "@/scripts/lib/stack";

import { register } from "../lib/run";
import { LOGS, logs, NEXT_BIN, POOL_SIZE } from "./config";

// The baseline: a separate, minimal Next.js app (not a route in the app under test), built with
// this repository's `next` and started with `next start`, as one process.

const BASELINE_FILES: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "objection-bench-baseline", private: true }, null, 2)}\n`,
  // node_modules is a symlink to this repository's, outside the temporary folder: Turbopack
  // compiles nothing outside its root, so the root is the filesystem's.
  "next.config.js": `module.exports = { poweredByHeader: false, typescript: { ignoreBuildErrors: true }, serverExternalPackages: ["pg"], turbopack: { root: "/" }, outputFileTracingRoot: "/" };\n`,
  "tsconfig.json": `${JSON.stringify(
    {
      compilerOptions: { target: "ES2022", lib: ["dom", "esnext"], strict: true, noEmit: true, module: "esnext", moduleResolution: "bundler", jsx: "react-jsx", isolatedModules: true, esModuleInterop: true, skipLibCheck: true, plugins: [{ name: "next" }] },
      include: ["**/*.ts", "**/*.tsx"],
      exclude: ["node_modules"],
    },
    null,
    2,
  )}\n`,
  "app/layout.tsx": `import type { ReactNode } from "react";\n\nconst RootLayout = ({ children }: { children: ReactNode }) => (\n  <html lang="en">\n    <body>{children}</body>\n  </html>\n);\n\nexport default RootLayout;\n`,
  "app/baseline/route.ts": `import pg from "pg";

export const dynamic = "force-dynamic";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: ${POOL_SIZE} });

export const GET = async () => {
  const { rows } = await pool.query("INSERT INTO bench_baseline (note) VALUES ($1) RETURNING id", ["baseline"]);
  return Response.json({ id: rows[0].id });
};
`,
};

export const startBaseline = async ({ databaseUrl, port }: { databaseUrl: string; port: number }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "objection-bench-baseline-"));
  register({ name: "baseline folder", stop: async () => rmSync(dir, { recursive: true, force: true }) });
  for (const [file, text] of Object.entries(BASELINE_FILES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"), "dir");
  const env = { NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: databaseUrl };
  await run({ command: process.execPath, args: [NEXT_BIN, "build", dir], env, quiet: true });
  const baseline = startChild({ name: "baseline", command: process.execPath, args: [NEXT_BIN, "start", dir, "--port", String(port)], env, logs: LOGS });
  register(baseline);
  logs.watch(baseline);
  await waitForHttp({ url: `http://127.0.0.1:${port}/baseline`, name: "The baseline app", timeoutMs: 60_000 });
  return baseline;
};
