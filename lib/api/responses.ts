import type { z } from "zod";

export type TApiIssue = { field: string; reason: string };

/** Every API error has the same shape: `{ error: { code, message, issues? } }`. */
export const apiError = ({ status, code, message, issues, headers }: { status: number; code: string; message: string; issues?: TApiIssue[]; headers?: HeadersInit }) =>
  Response.json({ error: { code, message, ...(issues ? { issues } : {}) } }, { status, headers });

export const validationFailed = (error: z.ZodError, message = "The request body is not valid.") =>
  apiError({
    status: 422,
    code: "invalid_body",
    message,
    issues: error.issues.map((issue) => ({ field: issue.path.join(".") || "(body)", reason: issue.message })),
  });

/** Parses a JSON body; answers 400 with a usable message when it is not JSON. */
export const readJsonBody = async (request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> => {
  try {
    return { ok: true, body: await request.json() };
  } catch {
    return { ok: false, response: apiError({ status: 400, code: "invalid_json", message: "The body must be JSON, sent with Content-Type: application/json." }) };
  }
};
