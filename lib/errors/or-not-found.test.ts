import { describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors/app-error";
import { orNotFound } from "@/lib/errors/or-not-found";

// What Next's notFound() throws, for its 404 page to catch.
const NOT_FOUND_DIGEST = "NEXT_HTTP_ERROR_FALLBACK;404";

describe("orNotFound", () => {
  it("gives back what the read found", async () => {
    expect(await orNotFound(Promise.resolve({ id: "m-1" }))).toEqual({ id: "m-1" });
  });

  it("turns an AppError not_found into Next's 404", async () => {
    const failure = orNotFound(Promise.reject(new AppError("not_found", { message: "No member has this id." })));

    await expect(failure).rejects.toMatchObject({ digest: NOT_FOUND_DIGEST });
  });

  it("rethrows any other failure as it was", async () => {
    const forbidden = new AppError("forbidden", { message: "Reviewers only." });
    const fault = new Error("connection refused");

    await expect(orNotFound(Promise.reject(forbidden))).rejects.toBe(forbidden);
    await expect(orNotFound(Promise.reject(fault))).rejects.toBe(fault);
  });
});
