import "server-only";

import { hasPostgresErrorCode } from "@/lib/errors/postgres-error-code";

// SQLSTATE 22021 (character_not_in_repertoire: NUL, or bytes that are not UTF-8) and 22P05
// (untranslatable_character): PostgreSQL refused a text value itself. The same request would be
// refused again, so it is the caller's to fix, not an outage to retry.
const UNSTORABLE_TEXT_CODES = new Set(["22021", "22P05"]);

/**
 * Whether an error is PostgreSQL refusing a text value, however `pg` or Prisma wrapped it.
 * Validation refuses such values first; this is the backstop for a field a schema missed.
 */
export const isUnstorableTextError = (error: unknown) => hasPostgresErrorCode(error, UNSTORABLE_TEXT_CODES);
