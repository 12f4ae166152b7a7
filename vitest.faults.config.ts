import path from "node:path";

import { defineConfig } from "vitest/config";

// `npm run test:faults`: fuzzing and fault injection against a running system. Slow; kept out of `npm test`'s unit run.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${path.resolve(__dirname)}/` },
      { find: /^server-only$/, replacement: path.resolve(__dirname, "scripts/lib/server-only.ts") },
    ],
  },
  test: {
    environment: "node",
    include: ["faults/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
  },
});
