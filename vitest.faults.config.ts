import { defineConfig } from "vitest/config";

import unitConfig from "./vitest.config";

// `npm run test:faults`: fuzzing and fault injection against a running system, each file with its
// own database and processes. Slow; kept out of `npm test`'s unit run. Same module resolution.
export default defineConfig({
  resolve: unitConfig.resolve,
  test: {
    environment: "node",
    include: ["faults/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
  },
});
