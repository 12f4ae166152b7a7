import type pg from "pg";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { submitMemberObjection } from "@/test/webhook-fixtures";

import { percentile, sleep } from "../lib/report";
import { isInterrupted, stopIfInterrupted } from "../lib/run";

// What the parts share: members to object, endpoints, the form's call at a fixed rate, waiting.

/** `count` members, set-based, each never used before (the form makes one objection per member); their ids. */
export const seedMembers = async ({ pool, count, prefix }: { pool: pg.Pool; count: number; prefix: string }) => {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
     SELECT $2 || i, $2 || i || '@example.eu', 'DE', date '1950-01-01' + (i % 18000), 'en' FROM generate_series(1, $1::int) AS i
     RETURNING id`,
    [count, prefix],
  );
  await pool.query(`ANALYZE "Member"`);
  return rows.map((row) => row.id);
};

/** No endpoint at all, so a part starts alone: another part's endpoint (and, by cascade, its deliveries) is gone. */
export const removeEndpoints = (pool: pg.Pool) => pool.query(`DELETE FROM "WebhookEndpoint"`);

/** An endpoint for objection.effective, registered as the platform registers one. */
export const addEndpoint = (url: string) => createWebhookEndpoint({ actor: PLATFORM_ACTOR, url, events: ["objection.effective"] });

/** The form's call (the hot path, outbox included) for a member: its objection's id, and how long the call took. */
export const submitFor = async (memberId: string) => {
  const started = performance.now();
  const result = await submitMemberObjection(memberId);
  const resolvedAt = performance.now();
  if (result.status !== "created") throw new Error(`submitObjection answered ${result.status} for a new member`);
  return { objectionId: result.objection.id, ms: resolvedAt - started, resolvedAt };
};

/**
 * Starts `work(i)` at `rate` a second, on a schedule, without waiting for the one before (users
 * do not wait for each other), until `count` have started or `stop()` says so; resolves once every
 * one has settled. A machine that falls behind catches up at once: the rate achieved is returned.
 */
export const atFixedRate = async ({ rate, count, stop = () => false, work }: { rate: number; count: number; stop?: () => boolean; work: (index: number) => Promise<unknown> }) => {
  const started = performance.now();
  const calls: Promise<unknown>[] = [];
  let failures = 0;
  let firstError: unknown;
  for (let index = 0; index < count && !stop() && !isInterrupted(); index++) {
    const wait = started + (index * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    calls.push(
      work(index).catch((error: unknown) => {
        failures++;
        firstError ??= error;
      }),
    );
  }
  const issuedSeconds = (performance.now() - started) / 1000;
  await Promise.all(calls);
  stopIfInterrupted();
  return { started: calls.length, failures, firstError, rate: calls.length > 1 ? (calls.length - 1) / issuedSeconds : calls.length };
};

/** Waits until `done()`, checking every 200 ms, for at most `seconds`; whether it came. */
export const waitUntil = async ({ done, seconds }: { done: () => boolean; seconds: number }) => {
  const until = performance.now() + seconds * 1000;
  while (!done() && performance.now() < until) {
    stopIfInterrupted();
    await sleep(200);
  }
  return done();
};

export const msFigures = (samples: number[]) => ({ p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), p99: percentile(samples, 0.99), max: Math.max(...samples) });
