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

/** How an error appears in a log line: its class, message and code, addresses and tokens redacted. */
export type TLoggedError = { type: string; message: string; code?: string; cause?: TLoggedError };

// Enough for PostgreSQL's and Prisma's messages; a message past it is cut, not the line dropped.
const MAX_MESSAGE = 2000;
const CAUSE_DEPTH = 3;

const loggedText = (text: string) => redactSecrets(text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text);

// The class: pg's DatabaseError names itself "error" (the protocol message's type), a subclass
// that sets no name says "Error"; the constructor's name says more then.
const errorClass = (error: Error) => (error.name && error.name !== "Error" && error.name !== "error" ? error.name : error.constructor?.name || error.name || "Error");

// SQLSTATE (pg), Node's own (ECONNREFUSED), Prisma's (P2002) or an AppError's; the driver adapter keeps pg's in its cause.
const errorCode = (error: object): string | undefined => {
  const { code, originalCode } = error as { code?: unknown; originalCode?: unknown };
  if (typeof code === "string" || typeof code === "number") return String(code);
  if (typeof originalCode === "string") return originalCode;
  return undefined;
};

// Node's connection errors to a name with two addresses are an AggregateError with no message of its own.
const errorMessage = (error: Error) => {
  if (error.message) return error.message;
  const inner = (error as { errors?: unknown }).errors;
  return Array.isArray(inner) ? inner.map((item) => (item instanceof Error ? item.message : String(item))).join("; ") : "";
};

/**
 * What a log line says of a thrown value, whatever it is: an Error's class, message and code (and
 * its cause's, a few levels deep), or a non-Error's type and text; never a stack, never an address.
 */
export const serializeError = (value: unknown, depth = 0): TLoggedError => {
  if (value instanceof Error) {
    const code = errorCode(value);
    const cause = depth < CAUSE_DEPTH && value.cause !== undefined && value.cause !== null ? serializeError(value.cause, depth + 1) : undefined;
    return { type: errorClass(value), message: loggedText(errorMessage(value)), ...(code ? { code } : {}), ...(cause ? { cause } : {}) };
  }
  if (typeof value === "object" && value !== null) {
    // A plain object thrown or passed as a cause (Prisma's driver adapter does): its message and code if it has them.
    const { message, kind } = value as { message?: unknown; kind?: unknown };
    const code = errorCode(value);
    let text = typeof message === "string" ? message : "";
    if (!text) {
      try {
        text = JSON.stringify(value) ?? "";
      } catch {
        text = Object.prototype.toString.call(value);
      }
    }
    return { type: typeof kind === "string" ? kind : "object", message: loggedText(text), ...(code ? { code } : {}) };
  }
  return { type: typeof value, message: loggedText(String(value)) };
};

const redactValue = (value: unknown, depth = 0): unknown => {
  if (typeof value === "string") return redactSecrets(value);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return serializeError(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, depth + 1)]));
};

/** A logger as the process's (`logger()`), writing to `destination` when given (tests read its lines). */
export const createLogger = (destination?: pino.DestinationStream) => {
  const options: pino.LoggerOptions = {
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: process.env.OBJECTION_SERVICE ?? "web" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // Every field of every line, whatever a caller passed: addresses and tokens never reach the output.
      // The `error` field (and pino's `err`) holds whatever was thrown: always its serialized form, even a string or a plain object.
      log: (object) => {
        const fields = redactValue(object) as Record<string, unknown>;
        for (const key of ["error", "err"]) if (key in object && object[key] !== undefined) fields[key] = serializeError(object[key]);
        return fields;
      },
    },
    // Known places first (cheaper, and sure even past the depth above).
    redact: { paths: ["email", "*.email", "to", "*.to", "token", "*.token", "authorization", "*.authorization", "cookie", "*.cookie"], censor: "[redacted]" },
    // Every Error is already its serialized form (above): pino's own `err` serializer would
    // rename its class "Object".
    serializers: { err: (value: unknown) => value },
    hooks: {
      logMethod(args, method) {
        // `logger().error(error)`: pino would take the raw message as the line's; the error goes in its field instead.
        const [first, ...rest] = args as unknown[];
        const normalised = first instanceof Error ? [{ error: first }, ...(rest.length > 0 ? rest : [serializeError(first).message])] : args;
        method.apply(
          this,
          normalised.map((arg) => (typeof arg === "string" ? redactSecrets(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
};

const globalForLogger = globalThis as unknown as { logger?: pino.Logger };

/** The process's structured logger: one JSON object per line on stdout, secrets redacted. */
export const logger = (): pino.Logger => (globalForLogger.logger ??= createLogger());
