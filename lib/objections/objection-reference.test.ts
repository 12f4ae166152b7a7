import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { objectionIdFromReference, objectionReference } from "@/lib/objections/objection-reference";

describe("objection references", () => {
  it("lead back to the objection's id, however a person types them", () => {
    for (let i = 0; i < 10_000; i++) {
      const id = randomUUID();
      expect(objectionIdFromReference(objectionReference(id))).toBe(id);
    }
    const id = "0f8e2c7a-93b1-4d2e-a5c6-7b8d9e0f1a2b";
    const reference = objectionReference(id);
    expect(objectionIdFromReference(reference.toLowerCase())).toBe(id);
    expect(objectionIdFromReference(` ${reference.replaceAll("-", " ")} `)).toBe(id);
    expect(objectionIdFromReference(reference.replaceAll("-", ""))).toBe(id);
    // Crockford's base32: O is read as 0, I and L as 1.
    expect(objectionIdFromReference(reference.replaceAll("0", "O").replaceAll("1", "l"))).toBe(id);
    // The objection's id itself is taken too.
    expect(objectionIdFromReference(id.toUpperCase())).toBe(id);
  });

  it("are five groups of five letters and digits that cannot be misread", () => {
    const reference = objectionReference(randomUUID());
    expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
    expect(objectionReference("00000000-0000-4000-8000-000000000000")).toBe("00000-00000-00000-00000-00000");
    expect(objectionReference("ffffffff-ffff-4fff-bfff-ffffffffffff")).toBe("3ZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
  });

  it("do not lead anywhere when mistyped or from the old 8-digit format", () => {
    const reference = objectionReference(randomUUID());
    expect(objectionIdFromReference(reference.slice(0, -1))).toBeNull();
    expect(objectionIdFromReference(`${reference}0`)).toBeNull();
    expect(objectionIdFromReference(`4${reference.slice(1)}`)).toBeNull();
    expect(objectionIdFromReference(reference.replace(/.$/, "U"))).toBeNull();
    expect(objectionIdFromReference("3F9A-21C7")).toBeNull();
    expect(objectionIdFromReference("")).toBeNull();
    expect(objectionIdFromReference("alice@example.eu")).toBeNull();
  });

  it("are the id itself for an id that is not a random (version 4) uuid", () => {
    const id = "018f3a2b-7c4d-7e5f-8a6b-9c0d1e2f3a4b";
    expect(objectionReference(id)).toBe(id);
    expect(objectionIdFromReference(objectionReference(id))).toBe(id);
  });
});
