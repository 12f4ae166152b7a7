import { describe, expect, it } from "vitest";

import { isDatabaseUp } from "@/lib/health/check-database";
import { setupRefusedDatabase } from "@/test/refused-database";

setupRefusedDatabase();

describe("isDatabaseUp when the database refuses connections", () => {
  it("resolves false without throwing", { timeout: 3_000 }, async () => {
    await expect(isDatabaseUp()).resolves.toBe(false);
  });
});
