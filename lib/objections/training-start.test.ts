import { describe, expect, it } from "vitest";

import { trainingCase, trainingStartIn } from "@/lib/objections/training-start";

describe("when AI training starts", () => {
  it("is nothing when TRAINING_STARTS_AT is not set", () => {
    expect(trainingStartIn({ day: undefined, locale: "en" })).toBeNull();
  });

  it("is the day in the reader's language", () => {
    expect(trainingStartIn({ day: "2027-03-01", locale: "de" })).toEqual({ day: "2027-03-01", date: "1. März 2027" });
  });

  it("is 'before' for an objection stored before the day starts, 'after' from its first moment on", () => {
    expect(trainingCase({ effectiveAt: new Date("2027-02-28T23:59:59Z"), day: "2027-03-01" })).toBe("before");
    expect(trainingCase({ effectiveAt: new Date("2027-03-01T00:00:00Z"), day: "2027-03-01" })).toBe("after");
    expect(trainingCase({ effectiveAt: new Date("2027-06-01T10:00:00Z"), day: "2027-03-01" })).toBe("after");
  });
});
