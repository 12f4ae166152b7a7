import path from "node:path";

import { defineConfig } from "vitest/config";

import SlowFirstSequencer from "./test/slow-first-sequencer";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${path.resolve(__dirname)}/` },
      // Tests run outside React's server environment, where `server-only` would throw.
      { find: /^server-only$/, replacement: path.resolve(__dirname, "scripts/lib/server-only.ts") },
    ],
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", "e2e/**", "faults/**", ".next/**", ".demo/**", "lib/generated/**"],
    globalSetup: ["./vitest.global-setup.ts"],
    // Each file gets its own database (a copy of the run's template), so files run side by side.
    setupFiles: ["./test/file-database.ts"],
    // next-auth imports `next/server` without its extension, which Node's own ESM loader cannot
    // resolve: Vitest transforms it instead, so tests can drive Auth.js's route handlers.
    server: { deps: { inline: ["next-auth"] } },
    // Most of a file's time is spent waiting on PostgreSQL, SMTP and worker processes, not on
    // the CPU: four files at once on two cores (Vitest's default here would be one).
    maxWorkers: 4,
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
