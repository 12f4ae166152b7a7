import { afterAll, describe, expect, it } from "vitest";

import { EVENT_TALLY_FLUSH_MS, flushEventTally, tallyEvent } from "@/lib/metrics/event-tally";
import { closePgPool, pgPool } from "@/lib/pg";
import { waitUntil } from "@/test/campaign-fixtures";

afterAll(async () => {
  await flushEventTally({ closing: true });
  await closePgPool();
});

const counted = async () => Number((await pgPool().query<{ count: string }>(`SELECT count FROM "EventCounter" WHERE event = 'link_request_refused_ceiling'`)).rows[0]?.count ?? 0);

describe("the process's tally of counted events", () => {
  it("adds N to the counter for N refusals, in one write, none of it while they come in", async () => {
    const before = await counted();
    const N = 250;
    for (let refused = 0; refused < N; refused += 1) tallyEvent("link_request_refused_ceiling");
    expect(await counted()).toBe(before);
    await flushEventTally();
    expect(await counted()).toBe(before + N);
    // Nothing is left to write twice.
    await flushEventTally();
    expect(await counted()).toBe(before + N);
  });

  it("writes what it holds within a second without being asked", async () => {
    const before = await counted();
    const startedAt = Date.now();
    for (let refused = 0; refused < 3; refused += 1) tallyEvent("link_request_refused_ceiling");
    await waitUntil({ check: async () => (await counted()) === before + 3, timeoutMs: 10_000, what: "the tally's timed write" });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(EVENT_TALLY_FLUSH_MS - 50);
  });

  it("writes each event at once once shutdown began", async () => {
    await flushEventTally({ closing: true });
    const before = await counted();
    tallyEvent("link_request_refused_ceiling");
    await flushEventTally();
    expect(await counted()).toBe(before + 1);
  });
});
