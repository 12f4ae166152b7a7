import { randomInt } from "node:crypto";

import { test } from "@playwright/test";

const DAY_MS = 86_400_000;

/** Where this worker process starts in its slice, and how many days it has handed out since. */
const start = randomInt(1_000_000);
let handedOut = 0;

/**
 * A day of `days` from `from` that no other test of this run is given: each parallel worker walks a
 * slice of its own from a random point, so two tests never meet on a day (random picks from the
 * whole range met about one run in a few thousand), and a worker restarted after a failure most
 * likely starts elsewhere in its slice. Called inside a test. A filter on the day then shows only
 * that test's rows of the shared e2e database.
 */
export const uniqueDay = ({ from, days }: { from: string; days: number }) => {
  const { parallelIndex, config } = test.info();
  const slice = Math.floor(days / config.workers);
  const offset = parallelIndex * slice + ((start + handedOut++) % slice);
  return new Date(Date.parse(`${from}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);
};
