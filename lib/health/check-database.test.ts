import { afterAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { isDatabaseUp } from "@/lib/health/check-database";

afterAll(async () => {
  await db().$disconnect();
});

describe("isDatabaseUp", () => {
  it("is true when the database answers", async () => {
    await expect(isDatabaseUp()).resolves.toBe(true);
  });
});
