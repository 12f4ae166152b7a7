import { describe, expect, it } from "vitest";

import { APP_ERROR_STATUS, AppError, isAppError, type TAppErrorCode } from "@/lib/errors/app-error";
import { appErrorResponse } from "@/lib/errors/app-error-response";

const CODES = Object.keys(APP_ERROR_STATUS) as TAppErrorCode[];

describe("appErrorResponse", () => {
  it.each(CODES)("answers %s with its status from the table and the one body", async (code) => {
    const response = appErrorResponse(new AppError(code, { message: `a ${code} message` }));

    expect(response.status).toBe(APP_ERROR_STATUS[code]);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: { code, message: `a ${code} message` } });
  });

  it("answers with the error's message, not the one meant for a person, and with its issues and headers", async () => {
    const error = new AppError("invalid_body", {
      message: "The request body is not valid.",
      userMessage: "Check the form.",
      issues: [{ index: 3, field: "email", reason: "not an address" }],
      headers: { "Retry-After": "5" },
    });

    const response = appErrorResponse(error);

    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toEqual({ error: { code: "invalid_body", message: "The request body is not valid.", issues: [{ index: 3, field: "email", reason: "not an address" }] } });
  });

  it("closes the connection on a 413, keeping the error's own headers, and on nothing else", () => {
    const tooLarge = appErrorResponse(new AppError("body_too_large", { message: "Too large.", headers: { "x-cap": "5" } }));
    const conflict = appErrorResponse(new AppError("conflict", { message: "Not now." }));

    expect(tooLarge.headers.get("connection")).toBe("close");
    expect(tooLarge.headers.get("x-cap")).toBe("5");
    expect(conflict.headers.get("connection")).toBeNull();
  });

  it("takes a status set apart from the table only when asked, with the same body", async () => {
    const response = appErrorResponse(new AppError("not_configured", { message: "No key." }), { status: 404 });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_configured", message: "No key." } });
  });
});

describe("isAppError", () => {
  it("recognises an AppError, of any code or of the code asked for, and nothing else", () => {
    const error = new AppError("not_found", { message: "No such thing." });

    expect(isAppError(error)).toBe(true);
    expect(isAppError(error, "not_found")).toBe(true);
    expect(isAppError(error, "conflict")).toBe(false);
    expect(isAppError(new Error("No such thing."))).toBe(false);
  });
});
