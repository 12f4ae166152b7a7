import type { z } from "zod";

import { AppError, type TAppErrorCode, type TAppErrorIssue } from "@/lib/errors/app-error";
import { appErrorResponse } from "@/lib/errors/app-error-response";
import { readBodyCapped } from "@/lib/http/read-body-capped";

/** Request bodies larger than this get 413: 10,000 members fit with room to spare. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * An error answer for a caller that holds a code and a message rather than an AppError (the
 * campaign commands' results, until they throw). `status` must be the code's own in the table;
 * the answer is appErrorResponse's, so the body, the headers and a 413's closed connection are the same.
 */
export const apiError = ({ status, code, message, issues, headers }: { status: number; code: TAppErrorCode; message: string; issues?: TAppErrorIssue[]; headers?: Record<string, string> }) =>
  appErrorResponse(new AppError(code, { message, issues, headers }), { status });

/** `members.3.email` → `{ index: 3, field: "email" }` when the body holds a list of rows. */
const toIssue = (issue: z.core.$ZodIssue): TAppErrorIssue => {
  const [list, index, ...rest] = issue.path;
  if (typeof list === "string" && typeof index === "number" && rest.length > 0) return { index, field: rest.join("."), reason: issue.message };
  return { field: issue.path.join(".") || "(body)", reason: issue.message };
};

export const validationFailed = (error: z.ZodError, message = "The request body is not valid: nothing was written.") =>
  appErrorResponse(new AppError("invalid_body", { message, issues: error.issues.map(toIssue) }));

const tooLarge = () =>
  new AppError("body_too_large", {
    message: `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB, the most any call takes: send members in calls of at most 10,000.`,
  });

/**
 * Parses a JSON body of at most MAX_BODY_BYTES, read as a stream: 413 as soon as it passes the cap
 * (a chunked body too), 400 when it is not JSON.
 */
export const readJsonBody = async (request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> => {
  const read = await readBodyCapped(request, { maxBytes: MAX_BODY_BYTES });
  if (!read.ok && read.problem === "too_large") return { ok: false, response: appErrorResponse(tooLarge()) };
  if (!read.ok) return { ok: false, response: appErrorResponse(new AppError("unreadable_body", { message: "The body ended before it was complete: send the request again." })) };
  try {
    return { ok: true, body: JSON.parse(new TextDecoder().decode(read.bytes)) };
  } catch {
    return { ok: false, response: appErrorResponse(new AppError("invalid_json", { message: "The body must be JSON, sent with Content-Type: application/json." })) };
  }
};
