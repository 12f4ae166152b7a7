import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { TEST_ENV } from "@/test/test-env";

const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

describe("GET /brand/logo", () => {
  let dir: string;
  let logo: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "brand-logo-"));
    logo = path.join(dir, "logo.png");
    await writeFile(logo, PNG);
    vi.resetModules();
    for (const [name, value] of Object.entries({ ...TEST_ENV, DATABASE_URL: "postgresql://127.0.0.1/unused", BRAND_LOGO: logo })) vi.stubEnv(name, value);
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the logo file with its content type", async () => {
    const { serveBrandLogo } = await import("@/lib/branding/serve-brand-logo");
    const response = await serveBrandLogo();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it("answers 404 with a message, not 500, when the file has gone since start-up, and serves it again once it is back", async () => {
    const { serveBrandLogo } = await import("@/lib/branding/serve-brand-logo");
    // Start-up checked the file; it disappears before the first request reads it.
    (await import("@/lib/env")).env();
    await rm(logo);
    const missing = await serveBrandLogo();
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/BRAND_LOGO/);

    await writeFile(logo, PNG);
    const back = await serveBrandLogo();
    expect(back.status).toBe(200);
  });
});
