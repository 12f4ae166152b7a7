import { AppError } from "@/lib/errors/app-error";

// What the members' CSV import reports, and the error it throws when the file as a whole cannot be read.

/** The `field` of a bad row that is not valid CSV, so no single column is to blame. */
export const ROW_FIELD = "(row)";

/** `line` is the file's line number: the header is line 1. */
export type TBadRow = { line: number; field: string; reason: string };
/** `rows`: data rows read so far, good and bad. */
export type TImportProgress = { bytesRead: number; totalBytes: number; rows: number };
/** `rows`: rows imported, `created + updated`; `skipped`: bad rows. */
export type TImportResult = { created: number; updated: number; skipped: number; rows: number };

/** The file as a whole cannot be imported (no or wrong header, a line too long): nothing more was read. */
export const importFileError = (message: string) => new AppError("invalid_file", { message });
