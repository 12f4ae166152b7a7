import { afterAll, beforeAll, expect, it } from "vitest";

import { GET as noticesRoute } from "@/app/api/v1/members/[externalId]/notifications/route";
import { db } from "@/lib/db";
import { closePgPool } from "@/lib/pg";
import { TEST_ENV } from "@/test/test-env";

const headers = { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}` };

beforeAll(() => {
  // Read once, at the first request: a budget of 3 a minute for this file's token.
  process.env.PLATFORM_API_RATE_PER_MINUTE = "3";
});

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

it("answers 429 with Retry-After past the per-token rate limit, and only past it", async () => {
  const answers: { status: number; retryAfter: string | null; code?: string }[] = [];
  for (let i = 0; i < 5; i++) {
    const externalId = `nobody-${i}`;
    const response = await noticesRoute(new Request(`http://localhost/api/v1/members/${externalId}/notifications`, { headers }), { params: Promise.resolve({ externalId }) });
    const body = (await response.json()) as { error?: { code?: string } };
    answers.push({ status: response.status, retryAfter: response.headers.get("retry-after"), code: body.error?.code });
  }
  expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 429, 429]);
  for (const answer of answers.slice(3)) {
    expect(answer.code).toBe("rate_limited");
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
  }
});
