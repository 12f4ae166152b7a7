import { expect } from "vitest";

import { parseEnv } from "@/lib/env";
import { type AppError, isAppError } from "@/lib/errors/app-error";

/** A complete, valid environment as an operator would write it: the base for each test of one variable's rules. */
export const VALID_ENV = {
  DATABASE_URL: "postgresql://app:db-password@127.0.0.1:5432/objection",
  APP_URL: "https://objection.example.eu/",
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "Objection <no-reply@objection.example.eu>",
  LINK_SECRET: "a-link-secret-of-at-least-thirty-two-chars",
  BRAND_NAME: "Example Social",
  PRIVACY_NOTICE_URL: "https://example.eu/privacy",
  CONTROLLER_NAME: "Example Social Europe Ltd",
  CONTROLLER_ADDRESS: "1 Example Square, 1000 Brussels, Belgium",
  DPO_CONTACT: "dpo@example.eu",
};

/** VALID_ENV without one variable. */
export const validEnvWithout = (name: keyof typeof VALID_ENV): Record<string, string | undefined> => Object.fromEntries(Object.entries(VALID_ENV).filter(([key]) => key !== name));

/** The message of the AppError `not_configured` parseEnv throws for this source; fails the test if it does not throw one. */
export const envErrorFor = (source: Record<string, string | undefined>) => {
  try {
    parseEnv(source);
  } catch (error) {
    expect(isAppError(error, "not_configured")).toBe(true);
    return (error as AppError).message;
  }
  throw new Error("parseEnv accepted an invalid environment");
};
