import path from "node:path";

import { defineConfig } from "vitest/config";

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
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
