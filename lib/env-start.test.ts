import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { describe, expect, it } from "vitest";

import { VALID_ENV as valid, validEnvWithout as validWithout } from "@/test/valid-env";

// Start-up: assertEnv, and the hook Next.js runs as a server instance starts, each in a process of its own.

type TEnvSource = Record<string, string | undefined>;

type TChildResult = { code: number | null; stdout: string; stderr: string };

const ENV_MODULE = path.resolve(__dirname, "env.ts");
const SCRIPTS_TSCONFIG = path.resolve(__dirname, "../tsconfig.scripts.json");
const TSX_LOADER = pathToFileURL(path.resolve(__dirname, "../node_modules/tsx/dist/loader.mjs")).href;

const INSTRUMENTATION_MODULE = path.resolve(__dirname, "../instrumentation.ts");

/** What the child runs: assertEnv itself, or the hook Next.js calls when a server instance starts (instrumentation.ts). */
const CHECKS = {
  assertEnv: `const { assertEnv } = await import(${JSON.stringify(pathToFileURL(ENV_MODULE).href)});\nassertEnv();\n`,
  serverStart: `const { register } = await import(${JSON.stringify(pathToFileURL(INSTRUMENTATION_MODULE).href)});\nawait register();\n`,
};

/** Runs the check in a fresh Node process, in an empty folder (so no .env file is loaded), with only `variables` set. */
const runAssertEnv = async (variables: TEnvSource, check: keyof typeof CHECKS = "assertEnv"): Promise<TChildResult> => {
  const cwd = await mkdtemp(path.join(tmpdir(), "objection-env-"));
  try {
    await writeFile(path.join(cwd, "check-env.mts"), `${CHECKS[check]}console.log("environment ok");\n`);
    const child = spawn(process.execPath, ["--import", TSX_LOADER, "check-env.mts"], {
      cwd,
      env: { NODE_ENV: "production", NEXT_RUNTIME: "nodejs", PATH: process.env.PATH, TSX_TSCONFIG_PATH: SCRIPTS_TSCONFIG, ...variables },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    return { code, stdout, stderr };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
};

describe("assertEnv", () => {
  // What `next start` runs before it serves a request: the server instance stops at once.
  it("stops a starting server instance with one line that names a missing variable", async () => {
    const result = await runAssertEnv({ ...valid, LINK_SECRET: "" }, "serverStart");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trim().split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("LINK_SECRET is missing");
  });

  it("stops a starting server instance on malformed variables, naming each and never echoing a value", async () => {
    const result = await runAssertEnv({ ...valid, SMTP_URL: "mail.example.eu:25", LINK_SECRET: "short-secret" }, "serverStart");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SMTP_URL must be a URL");
    expect(result.stderr).toContain("LINK_SECRET must be at least 32 characters");
    expect(result.stderr).not.toContain("short-secret");
  });

  it("lets the process start when the environment is complete", async () => {
    const result = await runAssertEnv(valid);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("environment ok");
    expect(result.code).toBe(0);
  });

  it("lets the web app and the worker start with BOUNCE_TLS_KEY and BOUNCE_TLS_CERT naming files only the bounce host has", async () => {
    const result = await runAssertEnv({ ...valid, BOUNCE_TLS_KEY: "/etc/objection/absent/bounce-key.pem", BOUNCE_TLS_CERT: "/etc/objection/absent/bounce-cert.pem" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("stops the process with exit code 1 and one stderr line naming the missing variable", async () => {
    const result = await runAssertEnv(validWithout("SMTP_URL"));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("SMTP_URL");
    expect(lines[0]).not.toContain(valid.LINK_SECRET);
  });
});
