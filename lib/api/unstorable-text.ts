import "server-only";

// SQLSTATE 22021 (character_not_in_repertoire: NUL, or bytes that are not UTF-8) and 22P05
// (untranslatable_character): PostgreSQL refused a text value itself. The same request would be
// refused again, so it is the caller's to fix, not an outage to retry.
const UNSTORABLE_TEXT_CODES = new Set(["22021", "22P05"]);

type TErrorLike = { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };

/**
 * Whether an error is PostgreSQL refusing a text value, as `pg` throws it (`code`), as Prisma's
 * driver adapter throws it (`cause.originalCode`) or as a raw query reports it (`meta.driverAdapterError`).
 * Validation refuses such values first; this is the backstop for a field a schema missed.
 */
export const isUnstorableTextError = (error: unknown) => {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === "object"; depth++) {
    const { code, originalCode, cause, meta } = current as TErrorLike;
    if (UNSTORABLE_TEXT_CODES.has(String(code)) || UNSTORABLE_TEXT_CODES.has(String(originalCode))) return true;
    current = cause ?? meta?.driverAdapterError;
  }
  return false;
};
