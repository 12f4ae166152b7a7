import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { parseEnv } from "@/lib/env";
import { envErrorFor, VALID_ENV, validEnvWithout } from "@/test/valid-env";

const valid = VALID_ENV;

const validWithout = validEnvWithout;


const expectOneLine = (message: string) => {
  expect(message.trim()).not.toBe("");
  expect(message).not.toMatch(/[\r\n]/);
};

describe("parseEnv", () => {
  it("accepts a complete, valid environment and strips the trailing slash from APP_URL", () => {
    const parsed = parseEnv(valid);
    expect(parsed).toMatchObject({ ...valid, APP_URL: "https://objection.example.eu" });
  });

  it("names LINK_SECRET, in one line, when it is missing", () => {
    const message = envErrorFor(validWithout("LINK_SECRET"));
    expectOneLine(message);
    expect(message).toContain("LINK_SECRET");
    expect(message).not.toMatch(/DATABASE_URL|APP_URL|SMTP_URL|MAIL_FROM/);
  });

  it("names DATABASE_URL when it is not a PostgreSQL URL, without echoing it", () => {
    const message = envErrorFor({ ...valid, DATABASE_URL: "mysql://root:hunter2-password@x" });
    expectOneLine(message);
    expect(message).toContain("DATABASE_URL");
    expect(message).not.toContain("hunter2-password");
    expect(message).not.toContain("LINK_SECRET");
  });

  it("names a LINK_SECRET that is too short, without echoing the secret", () => {
    const shortSecret = "short-but-secret-value";
    const message = envErrorFor({ ...valid, LINK_SECRET: shortSecret });
    expectOneLine(message);
    expect(message).toContain("LINK_SECRET");
    expect(message).not.toContain(shortSecret);
  });

  it("treats an empty variable as a missing one", () => {
    expect(envErrorFor({ ...valid, LINK_SECRET: "" })).toBe(envErrorFor(validWithout("LINK_SECRET")));
    expect(() => parseEnv({ ...valid, EXPORT_DIR: "" })).not.toThrow();
  });

  describe("link keys", () => {
    const current = "the-current-link-key-of-at-least-32-chars";
    const previous = "the-previous-link-key-of-at-least-32-chars";
    const { LINK_SECRET: _single, ...withoutLinkSecret } = valid;

    it("reads LINK_SECRET as the one-key case: it signs, and it is the only key accepted", () => {
      expect(parseEnv(valid)).toMatchObject({ LINK_SECRET: valid.LINK_SECRET, LINK_SECRETS: [valid.LINK_SECRET] });
    });

    it("reads LINK_SECRETS current first, ignoring spaces around the commas: the first key signs", () => {
      expect(parseEnv({ ...withoutLinkSecret, LINK_SECRETS: `${current}, ${previous}` })).toMatchObject({ LINK_SECRET: current, LINK_SECRETS: [current, previous] });
    });

    it("accepts both when LINK_SECRET is the first of LINK_SECRETS, and refuses them when they disagree, without echoing either", () => {
      expect(parseEnv({ ...valid, LINK_SECRET: current, LINK_SECRETS: `${current},${previous}` })).toMatchObject({ LINK_SECRET: current, LINK_SECRETS: [current, previous] });
      const message = envErrorFor({ ...valid, LINK_SECRET: previous, LINK_SECRETS: `${current},${previous}` });
      expectOneLine(message);
      expect(message).toContain("LINK_SECRET must be the first of LINK_SECRETS");
      expect(message).not.toContain(current);
      expect(message).not.toContain(previous);
    });

    it("names LINK_SECRET and LINK_SECRETS when neither is set, with the other variables' problems", () => {
      const message = envErrorFor({ ...withoutLinkSecret, SMTP_URL: "not a url" });
      expectOneLine(message);
      expect(message).toContain("LINK_SECRET is missing (or LINK_SECRETS");
      expect(message).toContain("SMTP_URL");
      expect(envErrorFor({ ...withoutLinkSecret, LINK_SECRETS: "" })).toBe(envErrorFor(withoutLinkSecret));
    });

    it("names LINK_SECRETS when a key is short or empty, without echoing any key", () => {
      for (const LINK_SECRETS of [`${current},short-but-secret-value`, `${current},`, `${current},,${previous}`, ","]) {
        const message = envErrorFor({ ...withoutLinkSecret, LINK_SECRETS });
        expectOneLine(message);
        expect(message).toContain("LINK_SECRETS must be a comma-separated list of secrets, each at least 32 characters");
        expect(message).not.toContain(current);
        expect(message).not.toContain("short-but-secret-value");
      }
    });

    it("names LINK_SECRETS when it lists a key twice, without echoing it", () => {
      const message = envErrorFor({ ...withoutLinkSecret, LINK_SECRETS: `${current},${previous}, ${current}` });
      expectOneLine(message);
      expect(message).toContain("LINK_SECRETS must not list the same secret twice");
      expect(message).not.toContain(current);
    });
  });

  describe("MAIL_DOMAIN_RATES", () => {
    it("reads domain=rate pairs into a map, lower-cased, spaces around commas and equals signs ignored; unset, no domain is paced", () => {
      expect(parseEnv({ ...valid, MAIL_DOMAIN_RATES: "Gmail.com=300, outlook.com = 150" }).MAIL_DOMAIN_RATES).toEqual(new Map([["gmail.com", 300], ["outlook.com", 150]]));
      expect(parseEnv(valid).MAIL_DOMAIN_RATES).toEqual(new Map());
    });

    it.each([
      ["gmail.com", "MAIL_DOMAIN_RATES must be domain=rate pairs separated by commas"],
      ["gmail.com=300,", "MAIL_DOMAIN_RATES must be domain=rate pairs separated by commas"],
      ["gmail.com=3=4", "MAIL_DOMAIN_RATES must be domain=rate pairs separated by commas"],
      ["=300", "MAIL_DOMAIN_RATES must be domain=rate pairs separated by commas"],
      ["gmail=300", 'MAIL_DOMAIN_RATES: "gmail" is not a domain name'],
      ["*.gmail.com=300", 'MAIL_DOMAIN_RATES: "*.gmail.com" is not a domain name'],
      ["gmail.com=0", "MAIL_DOMAIN_RATES: the rate of gmail.com must be a whole number of emails per second, 1 or more"],
      ["gmail.com=-5", "the rate of gmail.com must be a whole number"],
      ["gmail.com=2.5", "the rate of gmail.com must be a whole number"],
      ["gmail.com=lots", "the rate of gmail.com must be a whole number"],
      ["gmail.com=", "the rate of gmail.com must be a whole number"],
      ["gmail.com=300,GMAIL.com=100", "MAIL_DOMAIN_RATES names gmail.com twice"],
    ])("refuses %j in one line that says why", (MAIL_DOMAIN_RATES, why) => {
      const message = envErrorFor({ ...valid, MAIL_DOMAIN_RATES });
      expectOneLine(message);
      expect(message).toContain(why);
    });
  });

  it("takes a BOUNCE_LOCAL of up to 12 characters and names a longer one: the signed VERP address's local part must fit SMTP's 64", () => {
    expect(parseEnv({ ...valid, BOUNCE_LOCAL: "bounces-2026" })).toMatchObject({ BOUNCE_LOCAL: "bounces-2026" });
    const message = envErrorFor({ ...valid, BOUNCE_LOCAL: "bounces-of-2026" });
    expectOneLine(message);
    expect(message).toContain("BOUNCE_LOCAL must be at most 12 characters");
  });

  it("names every bad variable in one line", () => {
    const message = envErrorFor({ ...valid, DATABASE_URL: "mysql://x", SMTP_URL: "not a url", APP_URL: undefined, LINK_SECRET: "too-short", LINK_SECRETS: "also-too-short" });
    expectOneLine(message);
    for (const name of ["DATABASE_URL", "SMTP_URL", "APP_URL", "LINK_SECRET ", "LINK_SECRETS "]) expect(message).toContain(name);
    expect(message).not.toContain("MAIL_FROM");
  });

  it("takes an optional DATABASE_READ_URL (a PostgreSQL URL, named without echoing it) and READ_REPLICA_MAX_LAG_SECONDS, 30 unless set", () => {
    expect(parseEnv(valid).DATABASE_READ_URL).toBeUndefined();
    expect(parseEnv(valid).READ_REPLICA_MAX_LAG_SECONDS).toBe(30);
    expect(parseEnv({ ...valid, DATABASE_READ_URL: "postgresql://replica:5432/objection", READ_REPLICA_MAX_LAG_SECONDS: "5" })).toMatchObject({ DATABASE_READ_URL: "postgresql://replica:5432/objection", READ_REPLICA_MAX_LAG_SECONDS: 5 });
    const message = envErrorFor({ ...valid, DATABASE_READ_URL: "mysql://root:hunter2-password@replica" });
    expect(message).toContain("DATABASE_READ_URL must be a URL starting with postgres:// or postgresql://");
    expect(message).not.toContain("hunter2-password");
    expect(envErrorFor({ ...valid, READ_REPLICA_MAX_LAG_SECONDS: "0" })).toContain("READ_REPLICA_MAX_LAG_SECONDS must be positive");
  });
});

describe("parseEnv: the /object form's limits", () => {
  it("takes TRUSTED_PROXIES=0 (the socket's own address) and refuses a negative or fractional count", () => {
    expect(parseEnv({ ...valid, TRUSTED_PROXIES: "0" }).TRUSTED_PROXIES).toBe(0);
    expect(parseEnv(valid).TRUSTED_PROXIES).toBe(1);
    expect(envErrorFor({ ...valid, TRUSTED_PROXIES: "-1" })).toContain("TRUSTED_PROXIES must be 0 (no proxy) or more");
    expect(envErrorFor({ ...valid, TRUSTED_PROXIES: "1.5" })).toContain("TRUSTED_PROXIES must be a whole number");
  });

  it("takes LINK_REQUESTS_PER_HOUR, 1,000 unless set, and names a value that is not a positive whole number", () => {
    expect(parseEnv(valid).LINK_REQUESTS_PER_HOUR).toBe(1000);
    expect(parseEnv({ ...valid, LINK_REQUESTS_PER_HOUR: "50" }).LINK_REQUESTS_PER_HOUR).toBe(50);
    expect(envErrorFor({ ...valid, LINK_REQUESTS_PER_HOUR: "0" })).toContain("LINK_REQUESTS_PER_HOUR must be positive");
    expect(envErrorFor({ ...valid, LINK_REQUESTS_PER_HOUR: "lots" })).toContain("LINK_REQUESTS_PER_HOUR must be a whole number");
  });
});

describe("parseEnv: who asks and who answers (GDPR Art. 13)", () => {
  it.each(["BRAND_NAME", "PRIVACY_NOTICE_URL", "CONTROLLER_NAME", "CONTROLLER_ADDRESS", "DPO_CONTACT"] as const)("stops start-up without %s, naming it", (name) => {
    const message = envErrorFor(validWithout(name));
    expectOneLine(message);
    expect(message).toContain(name);
  });

  it("refuses a brand name over two lines, and a controller name of spaces", () => {
    expect(envErrorFor({ ...valid, BRAND_NAME: "Example\nSocial" })).toContain("BRAND_NAME must be one line");
    expect(envErrorFor({ ...valid, CONTROLLER_NAME: "   " })).toContain("CONTROLLER_NAME is missing");
  });

  it("takes an email address or a web page for the data protection officer, nothing else", () => {
    expect(parseEnv({ ...valid, DPO_CONTACT: "https://example.eu/dpo" }).DPO_CONTACT).toBe("https://example.eu/dpo");
    expect(envErrorFor({ ...valid, DPO_CONTACT: "call us" })).toContain("DPO_CONTACT must be an email address or an https:// page");
    expect(envErrorFor({ ...valid, DPO_CONTACT: "javascript:alert(1)" })).toContain("DPO_CONTACT");
  });

  it("refuses a privacy notice that is not a web address", () => {
    expect(envErrorFor({ ...valid, PRIVACY_NOTICE_URL: "javascript:alert(1)" })).toContain("PRIVACY_NOTICE_URL must be a URL");
  });

  it("takes a brand colour white text can be read on, and refuses a light one with the reason", () => {
    expect(parseEnv(valid).BRAND_COLOR).toBe("#1d4ed8");
    expect(parseEnv({ ...valid, BRAND_COLOR: "#0b6e4f" }).BRAND_COLOR).toBe("#0b6e4f");
    expect(envErrorFor({ ...valid, BRAND_COLOR: "#ffd700" })).toContain("BRAND_COLOR must be dark enough for white text");
    expect(envErrorFor({ ...valid, BRAND_COLOR: "blue" })).toContain("BRAND_COLOR must be a colour like #1d4ed8");
  });

  it("takes a logo file that exists, and names one that does not or is no image", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "logo-"));
    try {
      const logo = path.join(folder, "logo.svg");
      await writeFile(logo, '<svg xmlns="http://www.w3.org/2000/svg"/>');
      expect(parseEnv({ ...valid, BRAND_LOGO: logo }).BRAND_LOGO).toBe(logo);
      expect(envErrorFor({ ...valid, BRAND_LOGO: path.join(folder, "missing.png") })).toContain("BRAND_LOGO must be the path of a readable image file");
      expect(envErrorFor({ ...valid, BRAND_LOGO: path.join(folder, "logo.exe") })).toContain("BRAND_LOGO must be the path of a .png");
    } finally {
      await rm(folder, { recursive: true });
    }
  });
});

describe("parseEnv: TRAINING_STARTS_AT", () => {
  it("is optional, takes an ISO date, and names a value that is not one", () => {
    expect(parseEnv(valid).TRAINING_STARTS_AT).toBeUndefined();
    expect(parseEnv({ ...valid, TRAINING_STARTS_AT: "2027-03-01" }).TRAINING_STARTS_AT).toBe("2027-03-01");
    for (const bad of ["1 March 2027", "2027-02-30", "2027-03-01T00:00:00Z"]) {
      const message = envErrorFor({ ...valid, TRAINING_STARTS_AT: bad });
      expectOneLine(message);
      expect(message).toContain("TRAINING_STARTS_AT must be an ISO date");
    }
  });
});
