import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { closePgPool } from "@/lib/pg";
import { rateLimiter, takeRateLimits, type TRateLimit } from "@/lib/rate-limit/take-rate-limits";

afterAll(async () => {
  await closePgPool();
});

describe("takeRateLimits", () => {
  it("takes each budget in order, stops at the first refusal, and spends no later budget on it", async () => {
    const tag = randomUUID().slice(0, 8);
    const first: TRateLimit = { keyPrefix: `test-first-${tag}`, points: 2, duration: 60 };
    const second: TRateLimit = { keyPrefix: `test-second-${tag}`, points: 10, duration: 60 };
    const steps = [
      { name: "first" as const, limit: first, key: "k" },
      { name: "second" as const, limit: second, key: "k" },
    ];
    expect(await takeRateLimits(steps)).toEqual({ allowed: true });
    expect(await takeRateLimits(steps)).toEqual({ allowed: true });
    const refused = await takeRateLimits(steps);
    expect(refused).toMatchObject({ allowed: false, refusedBy: "first" });
    expect(refused.allowed ? 0 : refused.retryAt.getTime()).toBeGreaterThan(Date.now());
    expect(refused.allowed ? 0 : refused.retryAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    expect((await rateLimiter(second).get("k"))?.consumedPoints).toBe(2);
  });
});
