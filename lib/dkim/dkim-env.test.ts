import { generateKeyPairSync } from "node:crypto";

import { describe, expect, it } from "vitest";

import { parseEnv } from "@/lib/env";
import { type AppError, isAppError } from "@/lib/errors/app-error";
import { VALID_ENV } from "@/test/valid-env";

const valid = VALID_ENV;

const rsaPem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const shortRsaPem = generateKeyPairSync("rsa", { modulusLength: 512 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const ed25519Pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const dkim = { DKIM_DOMAIN: "objection.example.eu", DKIM_SELECTOR: "notice2026", DKIM_PRIVATE_KEY: rsaPem };

const errorFor = (source: Record<string, string | undefined>) => {
  try {
    parseEnv(source);
  } catch (error) {
    expect(isAppError(error, "not_configured")).toBe(true);
    const message = (error as AppError).message;
    expect(message).not.toMatch(/[\r\n]/);
    return message;
  }
  throw new Error("parseEnv accepted an invalid environment");
};

describe("DKIM and bounce variables", () => {
  it("are optional, with bounces as the default local part", () => {
    const parsed = parseEnv(valid);
    expect([parsed.DKIM_DOMAIN, parsed.DKIM_SELECTOR, parsed.DKIM_PRIVATE_KEY, parsed.BOUNCE_DOMAIN]).toEqual([undefined, undefined, undefined, undefined]);
    expect(parsed.BOUNCE_LOCAL).toBe("bounces");
  });

  it("accept a PEM key with real line breaks or with \\n, as an env file writes it", () => {
    expect(parseEnv({ ...valid, ...dkim }).DKIM_DOMAIN).toBe("objection.example.eu");
    expect(parseEnv({ ...valid, ...dkim, DKIM_PRIVATE_KEY: rsaPem.replace(/\n/g, "\\n") }).DKIM_SELECTOR).toBe("notice2026");
  });

  it("must be set all three together, said in one line", () => {
    for (const missing of ["DKIM_DOMAIN", "DKIM_SELECTOR", "DKIM_PRIVATE_KEY"] as const) {
      const message = errorFor({ ...valid, ...dkim, [missing]: undefined });
      expect(message).toContain("DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY must be set together");
    }
  });

  it("refuse a key that is not an RSA private key of at least 1024 bits, without echoing it", () => {
    for (const key of ["not a key", ed25519Pem, shortRsaPem]) {
      const message = errorFor({ ...valid, ...dkim, DKIM_PRIVATE_KEY: key });
      expect(message).toContain("DKIM_PRIVATE_KEY must be an RSA private key");
      expect(message).not.toContain("BEGIN");
      expect(message).not.toContain("set together");
    }
  });

  it("refuse a domain or selector that DNS cannot hold, and a bounce local part with +", () => {
    expect(errorFor({ ...valid, ...dkim, DKIM_DOMAIN: "not a domain" })).toContain("DKIM_DOMAIN must be a domain name");
    expect(errorFor({ ...valid, ...dkim, DKIM_SELECTOR: "a selector" })).toContain("DKIM_SELECTOR must be a DNS label");
    expect(errorFor({ ...valid, BOUNCE_DOMAIN: "bounce@example.eu" })).toContain("BOUNCE_DOMAIN must be a domain name");
    expect(errorFor({ ...valid, BOUNCE_DOMAIN: "bounce.example.eu", BOUNCE_LOCAL: "b+x" })).toContain("BOUNCE_LOCAL must be a plain local part");
    expect(parseEnv({ ...valid, BOUNCE_DOMAIN: "Bounce.Example.EU" }).BOUNCE_DOMAIN).toBe("bounce.example.eu");
  });
});
