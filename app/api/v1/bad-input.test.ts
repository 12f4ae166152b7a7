import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { POST as createCampaignRoute } from "@/app/api/v1/campaigns/route";
import { GET as noticesRoute } from "@/app/api/v1/members/[externalId]/notifications/route";
import { GET as objectionStateRoute } from "@/app/api/v1/members/[externalId]/objection/route";
import { PUT as syncRoute } from "@/app/api/v1/members/route";
import { POST as forwardRoute } from "@/app/api/v1/objections/route";
import { platformRoute } from "@/lib/api/platform-route";
import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";
import { TEST_ENV } from "@/test/test-env";

type THandler<TParams> = (request: Request, context: { params: Promise<TParams> }) => Promise<Response>;

const call = async <TParams extends object>(handler: THandler<TParams>, { method = "POST", body, params }: { method?: string; body?: unknown; params?: TParams }) => {
  const request = new Request("http://localhost/api/v1/test", {
    method,
    headers: { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve(params ?? ({} as TParams)) });
  return { status: response.status, json: (await response.json()) as { error?: { code: string; message: string; issues?: { index?: number; field: string; reason: string }[] } } };
};

const member = (externalId: string, overrides: Record<string, unknown> = {}) => ({
  externalId,
  email: `${externalId}@example.eu`,
  country: "DE",
  birthDate: "1990-02-03",
  locale: "de",
  ...overrides,
});

const storedMembers = async (externalIds: string[]) =>
  Number((await pgPool().query<{ n: string }>(`SELECT count(*) AS n FROM "Member" WHERE "externalId" LIKE ANY($1)`, [externalIds.map((id) => `${id.slice(0, 40)}%`)])).rows[0]?.n);

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

// PostgreSQL refuses NUL in text, and a line break in an identifier splits its row in a CSV export:
// either is the caller's mistake, so the answer is a 422 naming the field, never a 503 "retry",
// which would have the platform resend the same 10,000 rows for ever.
describe("control characters at the platform API", () => {
  it.each([
    ["externalId", "NUL", { externalId: "m\u0000nul" }],
    ["externalId", "LF", { externalId: "m\nline" }],
    ["externalId", "CR", { externalId: "m\rline" }],
    ["externalId", "a C1 control", { externalId: "m\u0085next-line" }],
    ["email", "NUL", { email: "a\u0000b@example.eu" }],
    ["country", "NUL", { country: "D\u0000" }],
    ["birthDate", "NUL", { birthDate: "1990-02-03\u0000" }],
    ["locale", "NUL", { locale: "de\u0000" }],
  ])("member sync: %s with %s answers 422 for that row and stores no row of the batch", async (field, _what, overrides) => {
    const prefix = `ctl-${randomUUID()}`;
    const good = member(`${prefix}-good`);
    const bad = { ...member(`${prefix}-bad`), ...overrides };
    const response = await call(syncRoute, { method: "PUT", body: { members: [good, bad] } });
    expect(response.status).toBe(422);
    expect(response.json.error?.issues).toEqual([{ index: 1, field, reason: expect.any(String) }]);
    expect(await storedMembers([prefix])).toBe(0);
  });

  it("a forwarded objection whose externalId holds NUL or a line break answers 422", async () => {
    for (const externalId of ["x\u0000y", "x\ny", "x\ty"]) {
      const response = await call(forwardRoute, { body: { externalId, source: "gpc" } });
      expect(response.status).toBe(422);
      expect(response.json.error?.issues?.[0]?.field).toBe("externalId");
    }
  });

  it.each([
    ["NUL", "Autumn\u0000notice"],
    ["LF", "Autumn\nnotice"],
    ["DEL", "Autumn\u007fnotice"],
  ])("a campaign whose name holds %s answers 422 naming the field, and none is created", async (_what, name) => {
    const before = await db().campaign.count();
    const response = await call(createCampaignRoute, { body: { name, channels: ["email"] } });
    expect(response.status).toBe(422);
    expect(response.json.error?.issues).toEqual([{ field: "name", reason: expect.stringMatching(/control characters/) }]);
    expect(await db().campaign.count()).toBe(before);
  });

  it("an externalId with NUL in the path is a 422 naming it, neither an outage nor an unknown member", async () => {
    for (const handler of [noticesRoute, objectionStateRoute]) {
      const response = await call(handler, { method: "GET", params: { externalId: "x\u0000y" } });
      expect(response.status).toBe(422);
      expect(response.json.error?.issues).toEqual([{ field: "externalId", reason: expect.stringMatching(/control characters/) }]);
    }
  });
});

describe("the platform API's backstop", () => {
  const storing = (write: () => Promise<unknown>) =>
    platformRoute(async () => {
      await write();
      return new Response(null, { status: 204 });
    });

  it.each([
    ["pg", () => pgPool().query("SELECT $1::text", ["a\u0000b"])],
    ["a Prisma write", () => db().campaign.create({ data: { name: "a\u0000b", channels: ["email"] } })],
    ["a Prisma raw query", () => db().$queryRawUnsafe("SELECT $1::text", "a\u0000b")],
  ])("a text value PostgreSQL refuses through %s, which no schema caught, answers 422 without Retry-After", async (_via, write) => {
    const response = await call(storing(write), {});
    expect(response.status).toBe(422);
    expect(response.json.error).toMatchObject({ code: "invalid_characters", message: expect.stringMatching(/cannot be stored.*Nothing was written/) });
  });

  it("a real fault is still a 503 to retry", async () => {
    const response = await call(storing(() => pgPool().query("SELECT 1 FROM no_such_table")), {});
    expect(response.status).toBe(503);
  });
});

describe("country codes at the platform API", () => {
  it("member sync refuses XX, ZZ and AA with a 422 naming the field, and stores GR, NO and LI", async () => {
    const prefix = `country-${randomUUID()}`;
    const refused = await call(syncRoute, { method: "PUT", body: { members: ["XX", "ZZ", "AA", "GR"].map((country) => member(`${prefix}-${country}`, { country })) } });
    expect(refused.status).toBe(422);
    expect(refused.json.error?.issues).toEqual([0, 1, 2].map((index) => ({ index, field: "country", reason: expect.stringMatching(/ISO 3166-1 alpha-2/) })));
    expect(await storedMembers([prefix])).toBe(0);

    const accepted = await call(syncRoute, { method: "PUT", body: { members: ["GR", "NO", "LI"].map((country) => member(`${prefix}-${country}`, { country })) } });
    expect(accepted.status).toBe(200);
    expect(await storedMembers([prefix])).toBe(3);
  });

  it("a campaign's countries must be EU/EEA codes: XX is a 422 naming the field", async () => {
    const response = await call(createCampaignRoute, { body: { name: `countries ${randomUUID()}`, channels: ["email"], countries: ["GR", "XX"] } });
    expect(response.status).toBe(422);
    expect(response.json.error?.issues).toEqual([{ field: "countries.1", reason: expect.stringMatching(/ISO 3166-1 alpha-2/) }]);
    expect((await call(createCampaignRoute, { body: { name: `countries ${randomUUID()}`, channels: ["email"], countries: ["GR", "NO", "LI"] } })).status).toBe(201);
  });
});
