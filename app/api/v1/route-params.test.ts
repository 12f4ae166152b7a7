import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { GET as noticeHistoryRoute } from "@/app/api/v1/members/[externalId]/notices/route";
import { GET as noticesRoute } from "@/app/api/v1/members/[externalId]/notifications/route";
import { GET as objectionStateRoute } from "@/app/api/v1/members/[externalId]/objection/route";
import { PUT as syncRoute } from "@/app/api/v1/members/route";
import { POST as withdrawRoute } from "@/app/api/v1/objections/[externalId]/withdraw/route";
import { openApiDocument } from "@/lib/api/openapi";
import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";
import { createNotification } from "@/test/factories";
import { TEST_ENV } from "@/test/test-env";

type THandler<TParams> = (request: Request, context: { params: Promise<TParams> }) => Promise<Response>;

const headers = { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}`, "content-type": "application/json" };

/** What Next hands a route handler: the path parameter already decoded once. */
const callWith = async (handler: THandler<{ externalId: string }>, externalId: string, method = "GET") => {
  const response = await handler(new Request(`http://localhost/api/v1/members/${encodeURIComponent(externalId)}`, { method, headers }), { params: Promise.resolve({ externalId }) });
  return { status: response.status, json: (await response.json()) as unknown };
};

const syncMembers = async (externalIds: string[]) => {
  const body = JSON.stringify({ members: externalIds.map((externalId, index) => ({ externalId, email: `params-${index}-${randomUUID()}@example.eu`, country: "DE", birthDate: "1980-01-01" })) });
  const response = await syncRoute(new Request("http://localhost/api/v1/members", { method: "PUT", headers, body }), { params: Promise.resolve({}) });
  expect(response.status).toBe(200);
};

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

// Next decodes a path parameter once before the handler sees it: decoding it again made a `%`
// throw (answered 503) and turned `%41` into `A`, another member's id.
describe("external ids in the path are decoded once", () => {
  it("finds the member whose id holds %, %41 or Unicode, and not the member %41 would decode to", async () => {
    const id = randomUUID();
    const percent = `p-${id}-100%`;
    const encodedA = `p-${id}-%41`;
    const decodedA = `p-${id}-A`;
    const unicode = `p-${id}-müller-用户`;
    await syncMembers([percent, encodedA, decodedA, unicode]);
    // Only the member whose id is literally …-A has a notice, so a double decode would show it to …-%41.
    const member = await db().member.findUniqueOrThrow({ where: { externalId: decodedA } });
    await createNotification({ db: pgPool(), memberId: member.id, channel: "in_app" });

    for (const externalId of [percent, encodedA, unicode]) {
      expect(await callWith(noticesRoute, externalId)).toEqual({ status: 200, json: [] });
      expect(await callWith(objectionStateRoute, externalId)).toMatchObject({ status: 200, json: { externalId, state: "none" } });
      expect(await callWith(withdrawRoute, externalId, "POST")).toMatchObject({ status: 200, json: { externalId, withdrawn: false } });
    }
    expect(((await callWith(noticesRoute, decodedA)).json as unknown[]).length).toBe(1);
  });

  it("an unknown id with a lone % is a 404, not a 503", async () => {
    for (const handler of [noticesRoute, objectionStateRoute]) expect((await callWith(handler, `nobody-${randomUUID()}-%`)).status).toBe(404);
    expect((await callWith(withdrawRoute, `nobody-${randomUUID()}-%zz`, "POST")).status).toBe(404);
  });
});

// A malformed id is the caller's mistake, not a member to sync first: 422 saying what is wrong,
// so the platform fixes the id instead of syncing (or retrying) a member that can never exist.
describe("a malformed external id in the path is a 422, a well-formed unknown one a 404", () => {
  const routes = [
    { handler: noticeHistoryRoute, method: "GET", path: "/api/v1/members/{externalId}/notices" },
    { handler: noticesRoute, method: "GET", path: "/api/v1/members/{externalId}/notifications" },
    { handler: objectionStateRoute, method: "GET", path: "/api/v1/members/{externalId}/objection" },
    { handler: withdrawRoute, method: "POST", path: "/api/v1/objections/{externalId}/withdraw" },
  ] as const;

  it.each([
    ["NUL", "a\u0000b", /control characters/],
    ["CR/LF", "a\r\nb", /control characters/],
    ["201 characters", "x".repeat(201), /at most 200 characters/],
    ["only spaces", "   ", /must not be empty/],
  ])("%s: every member route answers 422 naming externalId, with a message that says what to fix", async (_what, externalId, reason) => {
    for (const { handler, method } of routes) {
      const { status, json } = await callWith(handler, externalId, method);
      expect(status, method).toBe(422);
      expect(json).toEqual({ error: { code: "invalid_external_id", message: expect.stringMatching(/externalId/), issues: [{ field: "externalId", reason: expect.stringMatching(reason) }] } });
    }
  });

  it("a well-formed unknown id, 200 characters long, is still a 404 telling to sync first", async () => {
    const externalId = `nobody-${randomUUID()}-`.padEnd(200, "x");
    for (const { handler, method } of routes) {
      expect(await callWith(handler, externalId, method)).toEqual({ status: 404, json: { error: { code: "not_found", message: expect.stringMatching(/sync members first/) } } });
    }
  });

  it("the OpenAPI document lists the 422 on each of these routes", () => {
    const paths = openApiDocument().paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    for (const { method, path } of routes) expect(Object.keys(paths[path]?.[method.toLowerCase()]?.responses ?? {}), path).toEqual(expect.arrayContaining(["404", "422"]));
  });
});
