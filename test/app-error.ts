import { expect } from "vitest";

import { AppError } from "@/lib/errors/app-error";

/** Awaits a command that must fail with the AppError `code`, and returns the error. */
export const rejects = async (promise: Promise<unknown>, code: AppError["code"]) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
};
