import { afterAll, describe, expect, it } from "vitest";

import { isDatabaseUp } from "@/lib/health/check-database";
import { closePgPool, pgPool } from "@/lib/pg";

// A web instance under more load than its pool: every connection busy, statements waiting their
// turn, each answered. Its health check must not wait behind them: a load balancer would take the
// instance out for being busy (with two instances, one restarting, that is every instance).
// Set before anything calls env().
process.env.DATABASE_POOL_SIZE = "2";

afterAll(async () => {
  await closePgPool();
});

describe("isDatabaseUp when every connection of the pool is busy", () => {
  it("is true at once while the database keeps answering the statements ahead of it", { timeout: 15_000 }, async () => {
    const queued = Array.from({ length: 24 }, () => pgPool().query("SELECT pg_sleep(0.4)"));
    // The first statements answered: the pool is busy, and the database answers.
    await Promise.race(queued);
    const started = Date.now();
    const up = await isDatabaseUp();
    const tookMs = Date.now() - started;
    await Promise.all(queued);
    expect(up).toBe(true);
    expect(tookMs).toBeLessThan(100);
  });
});
