import type { z } from "zod";

import { readBodyCapped } from "@/lib/http/read-body-capped";

export type TApiIssue = { index?: number; field: string; reason: string };

/** Request bodies larger than this get 413: 10,000 members fit with room to spare. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Every API error has the same shape: `{ error: { code, message, issues? } }`. A 413 also closes
 * the connection: the rest of its body was never read, so the connection cannot carry another request.
 */
export const apiError = ({ status, code, message, issues, headers }: { status: number; code: string; message: string; issues?: TApiIssue[]; headers?: HeadersInit }) =>
  Response.json({ error: { code, message, ...(issues ? { issues } : {}) } }, { status, headers: status === 413 ? { ...Object.fromEntries(new Headers(headers)), connection: "close" } : headers });

/** `members.3.email` → `{ index: 3, field: "email" }` when the body holds a list of rows. */
const toIssue = (issue: z.core.$ZodIssue): TApiIssue => {
  const [list, index, ...rest] = issue.path;
  if (typeof list === "string" && typeof index === "number" && rest.length > 0) return { index, field: rest.join("."), reason: issue.message };
  return { field: issue.path.join(".") || "(body)", reason: issue.message };
};

export const validationFailed = (error: z.ZodError, message = "The request body is not valid: nothing was written.") =>
  apiError({ status: 422, code: "invalid_body", message, issues: error.issues.map(toIssue) });

const tooLarge = () =>
  apiError({
    status: 413,
    code: "body_too_large",
    message: `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB, the most any call takes: send members in calls of at most 10,000.`,
  });

/**
 * Parses a JSON body of at most MAX_BODY_BYTES, read as a stream: 413 as soon as it passes the cap
 * (a chunked body too), 400 when it is not JSON.
 */
export const readJsonBody = async (request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> => {
  const read = await readBodyCapped(request, { maxBytes: MAX_BODY_BYTES });
  if (!read.ok && read.problem === "too_large") return { ok: false, response: tooLarge() };
  if (!read.ok) return { ok: false, response: apiError({ status: 400, code: "unreadable_body", message: "The body ended before it was complete: send the request again." }) };
  try {
    return { ok: true, body: JSON.parse(new TextDecoder().decode(read.bytes)) };
  } catch {
    return { ok: false, response: apiError({ status: 400, code: "invalid_json", message: "The body must be JSON, sent with Content-Type: application/json." }) };
  }
};
