/** What the import of earlier objections reports: shared by the server and the upload form. */

/** An upload is read whole; 5 MB is about 50,000 rows, far more than any earlier list of objections. */
export const PRIOR_IMPORT_MAX_BYTES = 5 * 1024 * 1024;

export const PRIOR_IMPORT_OUTCOMES = ["matched_external_id", "matched_email", "unmatched", "skipped_live", "error"] as const;
export type TPriorImportOutcome = (typeof PRIOR_IMPORT_OUTCOMES)[number];

/** `line` is the file's line number: the header is line 1. Messages never quote an email address. */
export type TPriorImportLine = { line: number; outcome: TPriorImportOutcome; message: string; objectionId?: string };

export type TPriorImportCounts = { rows: number; imported: number } & Record<TPriorImportOutcome, number>;
export type TPriorImportResult = { counts: TPriorImportCounts; lines: TPriorImportLine[] };
