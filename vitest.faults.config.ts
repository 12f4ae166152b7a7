import { defineConfig } from "vitest/config";

import unitConfig from "./vitest.config";

// `npm run test:faults`: fuzzing, fault injection and load-sized cases against a running system,
// each file with its own database (a copy of the tier's template) and processes. Kept out of
// `npm test`'s unit run. Same module resolution.
export default defineConfig({
  resolve: unitConfig.resolve,
  test: {
    environment: "node",
    include: ["faults/**/*.test.ts"],
    globalSetup: ["./faults/global-setup.ts"],
    // One file at a time: each measures what a loaded machine would blur (recovery times, rates).
    // .ci/run runs two of these side by side, the recovery tests in one and the rest in the other.
    fileParallelism: false,
    // Each waits on processes by design: the slowest, a worker killed mid-campaign, takes 22 to 50 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
