import { describe, expect, it } from "vitest";

import { decodeTimeIdCursor, encodeTimeIdCursor } from "@/lib/pagination/time-id-cursor";

describe("the time-and-id cursor", () => {
  it("round-trips a row's key", () => {
    const key = { at: new Date("2026-11-29T21:05:00.123Z"), id: "0b6c5e3e-8a5e-4f52-9e1f-2f0f4c7d9a11" };
    expect(decodeTimeIdCursor(encodeTimeIdCursor(key), { id: "uuid" })).toEqual(key);
    expect(decodeTimeIdCursor(encodeTimeIdCursor({ at: key.at, id: "42" }), { id: "bigint" })).toEqual({ at: key.at, id: "42" });
  });

  it("refuses what PostgreSQL would: impossible dates, fake ids, ids past bigint", () => {
    expect(decodeTimeIdCursor("2026-13-01T00:00:00.000Z_0b6c5e3e-8a5e-4f52-9e1f-2f0f4c7d9a11", { id: "uuid" })).toBeNull();
    expect(decodeTimeIdCursor("2026-02-30T00:00:00.000Z_1", { id: "bigint" })).toBeNull();
    expect(decodeTimeIdCursor(`2026-01-01T00:00:00.000Z_${"-".repeat(36)}`, { id: "uuid" })).toBeNull();
    expect(decodeTimeIdCursor("2026-01-01T00:00:00.000Z_9999999999999999999", { id: "bigint" })).toBeNull();
    expect(decodeTimeIdCursor("zzz", { id: "bigint" })).toBeNull();
    expect(decodeTimeIdCursor(undefined, { id: "bigint" })).toBeNull();
  });
});
