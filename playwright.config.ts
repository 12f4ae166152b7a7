import { execSync } from "node:child_process";

import { defineConfig } from "@playwright/test";

import { E2E_PORTS } from "./e2e/ports";

// Playwright cannot download browsers here: use Debian's. Its headless shell first (.ci/run
// installs it), the browser Playwright's own headless runs use: the suite took 30 % less time in
// it than in the full chromium's headless mode, whose browser and GPU processes kept a core busy.
const chromiumPath = () => {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync("command -v chromium-headless-shell || command -v chromium || command -v chromium-browser", { encoding: "utf8", shell: "/bin/sh" }).trim();
  } catch {
    throw new Error("No chromium found: install it (apt-get install -y chromium-headless-shell) or set CHROMIUM_PATH.");
  }
};

const NIGHTLY_EXPORT_SPECS = /status-and-export\.spec\.ts$/;

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  // Maps `server-only` to a stub so tests can mint links with the app's own code.
  tsconfig: "./tsconfig.scripts.json",
  fullyParallel: true,
  // Three on two cores: a test mostly waits on the app, the worker and the inbox (the suite used
  // about a third of the cores with two); three took 6m57s where two took 7m58s, same machine.
  workers: 3,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORTS.app}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "chromium", use: { browserName: "chromium" }, testIgnore: NIGHTLY_EXPORT_SPECS },
    // A nightly export takes every objection in the shared database, other tests' too: these run
    // after the rest, so no test sees its objection exported (and acknowledged) under it.
    { name: "nightly-export", use: { browserName: "chromium" }, testMatch: NIGHTLY_EXPORT_SPECS, dependencies: ["chromium"] },
  ],
});
