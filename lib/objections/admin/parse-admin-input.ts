import "server-only";

import type { z } from "zod";

import { AppError } from "@/lib/errors/app-error";

/**
 * The lib functions are called by forms (already validated) and by bulk actions and tests (not):
 * each checks its own input, and bad input is an AppError("invalid") with the schema's message.
 */
export const parseAdminInput = <TSchema extends z.ZodType>(schema: TSchema, input: unknown): z.infer<TSchema> => {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid", { message: parsed.error.issues[0]?.message ?? "The input is not valid." });
  return parsed.data;
};
