import { spawn } from "node:child_process";
import { once } from "node:events";

import { TEST_ENV } from "../test/test-env";
import { expect, test } from "./fixtures";

// Runs the production build (made by the global setup) the way a deployment would.
const startApp = async ({ env, port }: { env: Record<string, string | undefined>; port: number }) => {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "--port", String(port)], {
    env: { PATH: process.env.PATH, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const [code] = (await once(child, "exit")) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
};

test.describe("start-up", () => {
  test("a missing variable stops the app with one line that names it", async () => {
    // Empty counts as missing; it also keeps a developer's .env from filling the variable in.
    const { code, stderr } = await startApp({ env: { ...TEST_ENV, DATABASE_URL: process.env.E2E_DATABASE_URL, LINK_SECRET: "" }, port: 3297 });
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("LINK_SECRET is missing");
  });

  test("a malformed variable stops the app and never echoes its value", async () => {
    const { code, stderr } = await startApp({
      env: { ...TEST_ENV, DATABASE_URL: process.env.E2E_DATABASE_URL, SMTP_URL: "mail.example.eu:25", LINK_SECRET: "short-secret" },
      port: 3298,
    });
    expect(code).toBe(1);
    expect(stderr).toContain("SMTP_URL must be a URL");
    expect(stderr).toContain("LINK_SECRET must be at least 32 characters");
    expect(stderr).not.toContain("short-secret");
  });
});
