import "server-only";

import pino from "pino";

// What a log line must never hold: an email address, a link token (72 base64url characters, or
// whatever follows /o/ or /s/), an admin sign-in link's token (`token=` in its query), a bearer
// token or a session cookie.
const ADDRESS = /[^\s<>()"',;:=]+@[^\s<>()"',;:]+\.[^\s<>()"',;:]+/g;
const LINK_TOKEN = /(\/[os]\/)[A-Za-z0-9_-]{8,}|\b[A-Za-z0-9_-]{72}\b/g;
const BEARER = /\b(Bearer)\s+\S+/gi;
const QUERY_TOKEN = /([?&]token=)[^&\s"']+/g;

/** The text with every address and token replaced by a placeholder. */
export const redactSecrets = (text: string) =>
  text
    .replace(ADDRESS, "[address]")
    .replace(LINK_TOKEN, (_match, path: string | undefined) => `${path ?? ""}[token]`)
    .replace(BEARER, "$1 [token]")
    .replace(QUERY_TOKEN, "$1[token]");

const redactValue = (value: unknown, depth = 0): unknown => {
  if (typeof value === "string") return redactSecrets(value);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { type: value.name, message: redactSecrets(value.message) };
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, depth + 1)]));
};

const createLogger = () =>
  pino({
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: process.env.OBJECTION_SERVICE ?? "web" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // Every field of every line, whatever a caller passed: addresses and tokens never reach the output.
      log: (object) => redactValue(object) as Record<string, unknown>,
    },
    // Known places first (cheaper, and sure even past the depth above).
    redact: { paths: ["email", "*.email", "to", "*.to", "token", "*.token", "authorization", "*.authorization", "cookie", "*.cookie"], censor: "[redacted]" },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === "string" ? redactSecrets(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
  });

const globalForLogger = globalThis as unknown as { logger?: pino.Logger };

/** The process's structured logger: one JSON object per line on stdout, secrets redacted. */
export const logger = (): pino.Logger => (globalForLogger.logger ??= createLogger());
