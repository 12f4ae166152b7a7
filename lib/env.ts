import "server-only";

import { existsSync, statSync } from "node:fs";

import { brandColorContrast, MIN_TEXT_CONTRAST } from "@/lib/branding/contrast";
import { DKIM_MIN_KEY_BITS, parseDkimKey } from "@/lib/dkim/parse-dkim-key";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { parseSigningKey } from "@/lib/exports/signing-key";

import { z } from "zod";

import { ADMIN_SIGN_IN_FIELDS, checkAdminSignIn, isAdminSignInIssue } from "@/lib/env-admin-sign-in";
import { secret, optionalSecret, linkSecrets, urlWithProtocols, positiveInt, intInRange, displayText, domainName, mailDomainRates } from "@/lib/env-fields";

const LOGO_TYPES = /\.(svg|png|jpe?g|webp)$/i;
const LOGO_MAX_BYTES = 200_000;

export const ZEnv = z.object({
  DATABASE_URL: urlWithProtocols("DATABASE_URL", ["postgres:", "postgresql:"]),
  /** PostgreSQL itself, never a pooler: migrations and the work that needs a session (lib/pg.ts). Unset: DATABASE_URL. */
  DIRECT_DATABASE_URL: urlWithProtocols("DIRECT_DATABASE_URL", ["postgres:", "postgresql:"]).optional(),
  DATABASE_POOL_SIZE: positiveInt("DATABASE_POOL_SIZE", 10),
  /** A streaming replica that the console's lists and dashboard, the notices API and metrics read from (lib/read-replica/). Unset: they read DATABASE_URL. */
  DATABASE_READ_URL: urlWithProtocols("DATABASE_READ_URL", ["postgres:", "postgresql:"]).optional(),
  /** Past this lag (or when it cannot be reached), the replica's reads go to the primary. */
  READ_REPLICA_MAX_LAG_SECONDS: positiveInt("READ_REPLICA_MAX_LAG_SECONDS", 30),
  APP_URL: urlWithProtocols("APP_URL", ["http:", "https:"]).transform((value) => value.replace(/\/+$/, "")),
  SMTP_URL: urlWithProtocols("SMTP_URL", ["smtp:", "smtps:"]),
  MAIL_POOL_SIZE: positiveInt("MAIL_POOL_SIZE", 20),
  MAIL_RATE_PER_SEC: z.coerce.number({ error: "MAIL_RATE_PER_SEC must be a number" }).int({ error: "MAIL_RATE_PER_SEC must be a whole number" }).min(0, { error: "MAIL_RATE_PER_SEC must be 0 (unlimited) or more" }).default(0),
  /** Emails a second per recipient domain, shared by every worker (counters in PostgreSQL); unset, no domain is paced. */
  MAIL_DOMAIN_RATES: mailDomainRates,
  CAMPAIGN_BATCH_SIZE: positiveInt("CAMPAIGN_BATCH_SIZE", 1000),
  CAMPAIGN_BATCH_EXPIRE_SECONDS: positiveInt("CAMPAIGN_BATCH_EXPIRE_SECONDS", 300),
  // Retries of a send job (exponential backoff from 2 s) before its campaign is marked failed.
  CAMPAIGN_BATCH_RETRY_LIMIT: positiveInt("CAMPAIGN_BATCH_RETRY_LIMIT", 60),
  JOBS_MAINTENANCE_SECONDS: positiveInt("JOBS_MAINTENANCE_SECONDS", 60),
  /** How often a worker sends its schedules' due jobs: pg-boss allows 1 to 45 s. */
  JOBS_CRON_CHECK_SECONDS: intInRange({ min: 1, max: 45, fallback: 30, notWhole: "JOBS_CRON_CHECK_SECONDS must be a whole number", outOfRange: "JOBS_CRON_CHECK_SECONDS must be 1 to 45 (pg-boss's range)" }),
  PLATFORM_API_RATE_PER_MINUTE: positiveInt("PLATFORM_API_RATE_PER_MINUTE", 1200),
  /** /object requests one visitor (IP) may make an hour; each address also gets at most 3 emails a day. */
  LINK_REQUESTS_PER_IP_PER_HOUR: positiveInt("LINK_REQUESTS_PER_IP_PER_HOUR", 10),
  /** /object requests from all visitors together an hour: a ceiling on the emails the form can send, whoever asks. */
  LINK_REQUESTS_PER_HOUR: positiveInt("LINK_REQUESTS_PER_HOUR", 1000),
  /**
   * Proxies in front of the app that append to X-Forwarded-For. 0: none, the visitor is the socket's
   * own address (lib/http/client-ip.ts). 1 (a load balancer) by default, as before 0 existed.
   */
  TRUSTED_PROXIES: z.coerce
    .number({ error: "TRUSTED_PROXIES must be a whole number" })
    .int({ error: "TRUSTED_PROXIES must be a whole number" })
    .min(0, { error: "TRUSTED_PROXIES must be 0 (no proxy) or more" })
    .default(1),
  WORKER_BATCH_CONCURRENCY: positiveInt("WORKER_BATCH_CONCURRENCY", 2),
  RECEIPT_BATCH_SIZE: positiveInt("RECEIPT_BATCH_SIZE", 50),
  RECEIPT_WORKERS: positiveInt("RECEIPT_WORKERS", 2),
  // pg-boss's default expiry: a receipt job whose worker died runs again this long after it started.
  RECEIPT_EXPIRE_SECONDS: positiveInt("RECEIPT_EXPIRE_SECONDS", 900),
  MAIL_FROM: z
    .string({ error: "MAIL_FROM is missing" })
    .regex(/^(?:[^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/, { error: 'MAIL_FROM must be an address, e.g. "Objection <no-reply@example.eu>"' }),
  LINK_SECRET: secret("LINK_SECRET").optional(),
  LINK_SECRETS: linkSecrets,
  LINK_TTL_DAYS: positiveInt("LINK_TTL_DAYS", 90),
  RECEIPT_LINK_TTL_DAYS: positiveInt("RECEIPT_LINK_TTL_DAYS", 730),
  AUTH_SECRET: optionalSecret("AUTH_SECRET"),
  PLATFORM_API_TOKEN: optionalSecret("PLATFORM_API_TOKEN"),
  EXPORT_API_TOKEN: optionalSecret("EXPORT_API_TOKEN"),
  /** Bearer token of GET /api/metrics (Prometheus); without it the endpoint is off. */
  METRICS_TOKEN: optionalSecret("METRICS_TOKEN"),
  EXPORT_HASH_KEY: optionalSecret("EXPORT_HASH_KEY"),
  EXPORT_CRON: z
    .string()
    .regex(/^\S+( \S+){4}$/, { error: 'EXPORT_CRON must be a cron expression with five fields, e.g. "0 2 * * *"' })
    .default("0 2 * * *"),
  EXPORT_HASH_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: "EXPORT_HASH_KEY_ID must be 1 to 64 letters, digits, dots, dashes or underscores" })
    .optional(),
  EXPORT_SIGNING_KEY: z
    .string()
    .refine((value) => parseSigningKey(value) !== null, {
      error: "EXPORT_SIGNING_KEY must be an Ed25519 private key in PEM (PKCS#8); `npm run export:keygen` makes one",
    })
    .optional(),
  /** Signs the receipts attached to receipt and withdrawal emails (lib/receipts); unset, they go without one. */
  RECEIPT_SIGNING_KEY: z
    .string()
    .refine((value) => parseSigningKey(value) !== null, {
      error: "RECEIPT_SIGNING_KEY must be an Ed25519 private key in PEM (PKCS#8); `npm run export:keygen` makes one",
    })
    .optional(),
  EXPORT_DIR: z.string().min(1, { error: "EXPORT_DIR must not be empty" }).default("exports"),
  EXPORT_STORAGE: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/, { error: "EXPORT_STORAGE must be an S3 URL, e.g. s3://bucket/prefix" })
    .optional(),
  EXPORT_S3_FORCE_PATH_STYLE: z.enum(["0", "1"], { error: "EXPORT_S3_FORCE_PATH_STYLE must be 1 or 0" }).default("0"),
  EXPORT_FORMAT: z.enum(["csv", "jsonl", "parquet"], { error: "EXPORT_FORMAT must be csv, jsonl or parquet" }).default("csv"),
  EXPORT_KEEP_RUNS: positiveInt("EXPORT_KEEP_RUNS", 30),
  /** 1: webhooks may go to private and loopback addresses, over http too (tests, closed networks); link-local stays refused (lib/webhooks/webhook-target.ts). */
  WEBHOOK_ALLOW_PRIVATE: z.enum(["0", "1"], { error: "WEBHOOK_ALLOW_PRIVATE must be 1 or 0" }).default("0"),
  /** After a secret's rotation, deliveries carry the old secret's signature too for this long. */
  WEBHOOK_SECRET_GRACE_HOURS: positiveInt("WEBHOOK_SECRET_GRACE_HOURS", 24),
  /** Deliveries a worker has in flight to one endpoint at most. */
  WEBHOOK_ENDPOINT_CONCURRENCY: positiveInt("WEBHOOK_ENDPOINT_CONCURRENCY", 64),
  /** A receiver that has not answered within this fails the delivery; a claim's lease is three times it. */
  WEBHOOK_TIMEOUT_SECONDS: intInRange({ min: 1, max: 60, fallback: 10, notWhole: "WEBHOOK_TIMEOUT_SECONDS must be a whole number of seconds", outOfRange: "WEBHOOK_TIMEOUT_SECONDS must be 1 to 60" }),
  EXPORT_RUN_TIMEOUT_MINUTES: positiveInt("EXPORT_RUN_TIMEOUT_MINUTES", 120),
  /** The platform's name, in the header, the footer and every email. */
  BRAND_NAME: displayText("BRAND_NAME", 60),
  /** Buttons and links; white text on it must reach WCAG AA contrast. */
  BRAND_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { error: "BRAND_COLOR must be a colour like #1d4ed8" })
    .refine((value) => brandColorContrast(value) >= MIN_TEXT_CONTRAST, {
      error: `BRAND_COLOR must be dark enough for white text on it and for links on the page (a contrast of at least ${MIN_TEXT_CONTRAST}:1, WCAG AA); #1d4ed8 is`,
    })
    .default("#1d4ed8"),
  /** A logo file beside the name in the header and emails: PNG (shown by every mail client), SVG, JPEG or WebP. */
  BRAND_LOGO: z
    .string()
    .regex(LOGO_TYPES, { error: "BRAND_LOGO must be the path of a .png, .svg, .jpg or .webp file" })
    .refine((value) => existsSync(value) && statSync(value).isFile() && statSync(value).size <= LOGO_MAX_BYTES, {
      error: `BRAND_LOGO must be the path of a readable image file of at most ${LOGO_MAX_BYTES / 1000} kB`,
    })
    .optional(),
  PRIVACY_NOTICE_URL: urlWithProtocols("PRIVACY_NOTICE_URL", ["https:", "http:"]),
  CONTROLLER_NAME: displayText("CONTROLLER_NAME", 120),
  CONTROLLER_ADDRESS: displayText("CONTROLLER_ADDRESS", 300),
  /** How to reach the data protection officer: an email address or a web page. */
  DPO_CONTACT: z
    .string({ error: "DPO_CONTACT is missing: an email address or an https:// page for the data protection officer" })
    .trim()
    .refine((value) => z.email().safeParse(value).success || (URL.canParse(value) && ["https:", "http:"].includes(new URL(value).protocol)), {
      error: "DPO_CONTACT must be an email address or an https:// page for the data protection officer",
    }),
  /** DKIM signs every email when all three are set (see docs/operations.md, "Environment"). */
  DKIM_DOMAIN: domainName("DKIM_DOMAIN").optional(),
  DKIM_SELECTOR: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})$/, { error: "DKIM_SELECTOR must be a DNS label like mail2026 (letters, digits, dots, dashes)" })
    .optional(),
  DKIM_PRIVATE_KEY: z
    .string()
    .refine((value) => parseDkimKey(value) !== null, {
      error: `DKIM_PRIVATE_KEY must be an RSA private key in PEM of at least ${DKIM_MIN_KEY_BITS} bits (2048 advised), with \\n for line breaks if on one line`,
    })
    .optional(),
  /** Bounces come back to BOUNCE_LOCAL+<notification id>.<day>.<mac>@BOUNCE_DOMAIN (VERP, lib/bounces/verp-address.ts); unset, to MAIL_FROM. */
  BOUNCE_DOMAIN: domainName("BOUNCE_DOMAIN").optional(),
  BOUNCE_LOCAL: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/, { error: "BOUNCE_LOCAL must be a plain local part without '+', e.g. bounces" })
    // "+", the id (32), the day (5), the MAC (12) and two dots take 52 of the local part's 64 (RFC 5321).
    .max(12, { error: "BOUNCE_LOCAL must be at most 12 characters, so the bounce address fits SMTP's 64-character local part" })
    .default("bounces"),
  /** The port `npm run bounces` listens on; BOUNCE_DOMAIN's MX sends to it (through a forward from 25). */
  BOUNCE_SMTP_PORT: intInRange({ min: 1, max: 65535, fallback: 2525, notWhole: "BOUNCE_SMTP_PORT must be a port number", outOfRange: "BOUNCE_SMTP_PORT must be a port number from 1 to 65535" }),
  /**
   * With BOUNCE_TLS_CERT, the bounce listener offers STARTTLS: PEM files, the private key and its certificate
   * (chain). Only the listener reads them, at its start (lib/bounces/bounce-env.ts): the web app and the worker
   * may share this environment on hosts without the files, and need no access to the key.
   */
  BOUNCE_TLS_KEY: z.string().optional(),
  BOUNCE_TLS_CERT: z.string().optional(),
  DEMO_MODE: z.enum(["0", "1"], { error: "DEMO_MODE must be 1 or 0" }).default("0"),
  /** The day AI training starts (an ISO date, 2027-03-01): the notice, the form and the confirmation name it; unset, none does. */
  TRAINING_STARTS_AT: z.iso.date({ error: "TRAINING_STARTS_AT must be an ISO date, e.g. 2027-03-01" }).optional(),
  ADMIN_EMAILS: z
    .string()
    .optional()
    .refine((value) => !value || value.split(",").every((email) => z.email().safeParse(email.trim()).success), {
      error: "ADMIN_EMAILS must be a comma-separated list of email addresses",
    }),
  ...ADMIN_SIGN_IN_FIELDS,
})
  .superRefine(checkAdminSignIn, { when: ({ issues }) => !issues.some(isAdminSignInIssue) })
  // LINK_SECRET is the one-key case of LINK_SECRETS. Both may be set only if they agree on the
  // current key, so no one is left guessing which of them signs. Checked even when other variables
  // are bad, so the one line names every problem; skipped when a LINK_ variable is itself malformed.
  .superRefine(
    ({ LINK_SECRET, LINK_SECRETS }, context) => {
      if (LINK_SECRET === undefined && LINK_SECRETS === undefined)
        context.addIssue({ code: "custom", path: ["LINK_SECRET"], message: "LINK_SECRET is missing (or LINK_SECRETS, to rotate the link key)" });
      else if (LINK_SECRET !== undefined && LINK_SECRETS !== undefined && LINK_SECRETS[0] !== LINK_SECRET)
        context.addIssue({ code: "custom", path: ["LINK_SECRET"], message: "LINK_SECRET must be the first of LINK_SECRETS (the current key), or be unset" });
    },
    { when: ({ issues }) => !issues.some((issue) => issue.path?.[0] === "LINK_SECRET" || issue.path?.[0] === "LINK_SECRETS") },
  )
  // A DKIM key without its domain and selector (or the reverse) would sign nothing, or sign with a
  // record no one can find: all three or none.
  // Checked even when other variables are bad, as LINK_SECRET is; skipped when a DKIM_ one is malformed.
  .superRefine(
    ({ DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY }, context) => {
      const set = [DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY].filter((value) => value !== undefined).length;
      if (set !== 0 && set !== 3)
        context.addIssue({ code: "custom", path: ["DKIM_DOMAIN"], message: "DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY must be set together, or none of them" });
    },
    { when: ({ issues }) => !issues.some((issue) => String(issue.path?.[0] ?? "").startsWith("DKIM_")) },
  )
  // A key without its certificate would fail only when a sender says STARTTLS: every process checks
  // the pair's shape (even when other variables are bad); the files are the listener's to check.
  .superRefine(
    ({ BOUNCE_TLS_KEY, BOUNCE_TLS_CERT }, context) => {
      if ((BOUNCE_TLS_KEY === undefined) !== (BOUNCE_TLS_CERT === undefined))
        context.addIssue({ code: "custom", path: ["BOUNCE_TLS_KEY"], message: "BOUNCE_TLS_KEY and BOUNCE_TLS_CERT must be set together, or neither" });
    },
    { when: ({ issues }) => !issues.some((issue) => String(issue.path?.[0] ?? "").startsWith("BOUNCE_TLS_")) },
  )
  // What the app reads: LINK_SECRET is the current key, that signs new links (and keys other HMACs);
  // LINK_SECRETS is every key a link may have been signed with, current first.
  .transform(({ LINK_SECRET, LINK_SECRETS, ...rest }) => {
    const keys: readonly string[] = LINK_SECRETS ?? [LINK_SECRET!];
    return { ...rest, LINK_SECRET: keys[0]!, LINK_SECRETS: keys };
  });

export type TEnv = z.infer<typeof ZEnv>;

/** One line that names every bad variable, and never echoes a value (they are secrets): the message of the AppError `not_configured` an unusable environment throws. */
export const formatEnvError = (error: z.ZodError) =>
  `Invalid environment: ${error.issues.map((issue) => issue.message).join("; ")}. See docs/operations.md, "Environment".`;

export const parseEnv = (source: Record<string, string | undefined>): TEnv => {
  // An empty variable is a missing one: `FOO=` in a .env file should not count as set.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = ZEnv.safeParse(present);
  if (!result.success) throw new AppError("not_configured", { message: formatEnvError(result.error) });
  return result.data;
};

let cached: TEnv | undefined;

export const env = (): TEnv => (cached ??= parseEnv(process.env));

/** Start-up check: prints one line and stops the process when the environment is unusable. */
export const assertEnv = () => {
  // Next.js reads .env itself; scripts (worker, seed) get the same file here. Set variables win.
  if (!process.env.NEXT_RUNTIME && existsSync(".env")) process.loadEnvFile(".env");
  try {
    env();
  } catch (error) {
    if (!isAppError(error, "not_configured")) throw error;
    console.error(error.message);
    process.exit(1);
  }
};
