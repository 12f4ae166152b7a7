import "server-only";

import { notFound } from "next/navigation";

import { isAppError } from "@/lib/errors/app-error";

/**
 * For a page: what `read` finds, or Next's 404 page when it throws an AppError `not_found` (a
 * malformed or unknown id is a 404, never a 500). Any other failure is rethrown for the error page.
 */
export const orNotFound = async <T>(read: Promise<T>): Promise<T> => {
  try {
    return await read;
  } catch (error) {
    if (isAppError(error, "not_found")) notFound();
    throw error;
  }
};
