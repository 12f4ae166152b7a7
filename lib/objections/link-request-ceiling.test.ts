import { randomUUID } from "node:crypto";

import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { readDashboard } from "@/lib/dashboard/read-dashboard";
import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { flushEventTally } from "@/lib/metrics/event-tally";
import { LINK_REQUEST_CEILING_KEY } from "@/lib/objections/link-request-limits";
import { linkRequestResponse } from "@/lib/objections/link-request-response";
import { receiveLinkRequest } from "@/lib/objections/receive-link-request";
import { pgPool } from "@/lib/pg";
import de from "@/messages/de.json";

// A ceiling of 3 for this file alone (its own process and database): set before env() is first read.
const CEILING = 3;
process.env.LINK_REQUESTS_PER_HOUR = String(CEILING);

const viewer = { id: "00000000-0000-4000-8000-000000000001", role: "viewer" as const };

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
});

// Each test starts with the hour's ceiling untouched.
beforeEach(async () => {
  await pgPool().query(`DELETE FROM rate_limit WHERE key = $1`, [LINK_REQUEST_CEILING_KEY]);
});

const uniqueAddress = () => `ceiling-${randomUUID()}@example.eu`;

/** A visitor of their own each time: only the ceiling can refuse them. */
const newVisitor = () => new Headers({ "x-forwarded-for": `192.0.2.${Math.floor(Math.random() * 250)}, 10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`, "accept-language": "de" });

const refusedAtCeiling = async () =>
  Number((await pgPool().query<{ count: string }>(`SELECT count FROM "EventCounter" WHERE event = 'link_request_refused_ceiling'`)).rows[0]?.count ?? 0);

const request = (email = uniqueAddress()) => receiveLinkRequest({ fields: { email }, headers: newVisitor(), locale: "de" });

describe("the hourly ceiling over all /object requests (LINK_REQUESTS_PER_HOUR)", () => {
  it("takes LINK_REQUESTS_PER_HOUR requests from all visitors together, then refuses each next one until the hour is over, and counts each refusal for /api/metrics", async () => {
    const before = await refusedAtCeiling();
    for (let taken = 0; taken < CEILING; taken += 1) expect(await request()).toEqual({ status: "sent" });

    const email = uniqueAddress();
    const first = await request(email);
    const second = await request();

    expect(first.status).toBe("limited");
    expect(second.status).toBe("limited");
    const retryAt = first.status === "limited" ? first.retryAt.getTime() : 0;
    expect(retryAt).toBeGreaterThan(Date.now());
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 60 * 60 * 1000);
    expect(await db().addressLink.count({ where: { email } })).toBe(0);
    // Refusals are counted in memory and written within a second; a flush writes them now.
    await flushEventTally();
    expect((await refusedAtCeiling()) - before).toBe(2);
  });

  it("answers a refusal at the ceiling with the same 429 page as a visitor's limit, in the visitor's language", async () => {
    for (let taken = 0; taken < CEILING; taken += 1) await request();
    const refused = await request();

    const response = linkRequestResponse({ result: refused, request: new Request("http://localhost/object/request", { method: "POST" }), locale: "de" });

    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    const page = await response.text();
    expect(page).toContain('lang="de"');
    expect(page).toContain(de.requestLink.limitedTitle);
  });

  it("shows a warning on the console's dashboard once the ceiling is reached, and none before", async () => {
    for (let taken = 0; taken < CEILING - 1; taken += 1) await request();
    expect((await readDashboard({ actor: viewer })).linkRequestCeiling).toBeNull();

    await request();
    await request();
    const { linkRequestCeiling } = await readDashboard({ actor: viewer });

    expect(linkRequestCeiling).toMatchObject({ limit: CEILING, requests: CEILING + 1, refused: 1 });
    expect(linkRequestCeiling!.resetsAt.getTime()).toBeGreaterThan(Date.now());
    expect(linkRequestCeiling!.resetsAt.getTime()).toBeLessThanOrEqual(Date.now() + 60 * 60 * 1000);
  });
});
