import "server-only";

type TErrorLike = { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };

/**
 * Whether an error is PostgreSQL's with one of `codes` (SQLSTATE), as `pg` throws it (`code`), as
 * Prisma's driver adapter throws it (`cause.originalCode`) or as a raw query reports it
 * (`meta.driverAdapterError`).
 */
export const hasPostgresErrorCode = (error: unknown, codes: ReadonlySet<string>) => {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === "object"; depth++) {
    const { code, originalCode, cause, meta } = current as TErrorLike;
    if (codes.has(String(code)) || codes.has(String(originalCode))) return true;
    current = cause ?? meta?.driverAdapterError;
  }
  return false;
};
