import { describe, expect, it } from "vitest";

import { authErrorSummary } from "@/lib/auth/auth-error-summary";

describe("authErrorSummary", () => {
  it("keeps the error's kind and its cause's code, and none of the provider's answer", () => {
    const claims = { sub: "alice-subject", name: "Alice Example", groups: ["privacy-admins"], nonce: "other-flow" };
    const error = Object.assign(new Error("Read more at https://errors.authjs.dev#callbackrouteerror", { cause: { err: { name: "OperationProcessingError", code: "JWT_CLAIM_COMPARISON_FAILED" }, claims } }), { type: "CallbackRouteError" });
    const summary = authErrorSummary(error);
    expect(summary).toEqual({ type: "CallbackRouteError", cause: { name: "OperationProcessingError", code: "JWT_CLAIM_COMPARISON_FAILED" } });
    expect(JSON.stringify(summary)).not.toMatch(/Alice|alice-subject|privacy-admins/);
  });

  it("names an error without a type or a cause by its name", () => {
    expect(authErrorSummary(new TypeError("boom"))).toEqual({ type: "TypeError", cause: undefined });
  });
});
