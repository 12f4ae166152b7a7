import "server-only";

import { z } from "zod";

import { AppError } from "@/lib/errors/app-error";

/** What a webhook command throws for an id no endpoint has (a malformed id too): the API answers 404. */
export const webhookNotFound = () => new AppError("not_found", { message: "No webhook endpoint has this id." });

/** The endpoint id of a path, or AppError `not_found`: a malformed id names no endpoint either. */
export const webhookIdOf = (id: string) => {
  const parsed = z.uuid().safeParse(id);
  if (!parsed.success) throw webhookNotFound();
  return parsed.data;
};
