import type { AppError, TAppErrorIssue } from "@/lib/errors/app-error";

/** The one JSON body every error answer has, whichever boundary sends it; client code reads `error.message`. */
export type TAppErrorBody = { error: { code: string; message: string; issues?: TAppErrorIssue[] } };

/**
 * The one mapping from an AppError to an HTTP answer: its code's status from the table, the one
 * body and the error's headers. A 413 also closes the connection: the rest of its body was never
 * read, so the connection cannot carry another request.
 *
 * `status` is only for an answer whose status a published contract fixes apart from the table
 * (docs/export-format.md: the export public key's `404 not_configured`); everything else takes the table's.
 */
export const appErrorResponse = (error: AppError, { status = error.status }: { status?: number } = {}) => {
  const body: TAppErrorBody = { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } };
  const headers = status === 413 ? { ...error.headers, connection: "close" } : error.headers;
  return Response.json(body, { status, headers });
};
