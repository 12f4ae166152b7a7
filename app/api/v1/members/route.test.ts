import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { PUT as syncRoute } from "@/app/api/v1/members/route";
import { db } from "@/lib/db";
import { closePgPool, pgPool } from "@/lib/pg";
import { TEST_ENV } from "@/test/test-env";

const sync = async (members: Record<string, unknown>[]) => {
  const request = new Request("http://localhost/api/v1/members", {
    method: "PUT",
    headers: { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ members }),
  });
  const response = await syncRoute(request, { params: Promise.resolve({}) });
  return { status: response.status, json: (await response.json()) as unknown };
};

const stored = async (prefix: string) =>
  (await pgPool().query<{ externalId: string; email: string }>(`SELECT "externalId", email FROM "Member" WHERE "externalId" LIKE $1 || '%' ORDER BY "externalId"`, [prefix])).rows;

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

describe("PUT /api/v1/members with internationalised addresses", () => {
  it("stores every row of a batch that holds IDN members, each address normalised (NFC, lower case, the domain as sent)", async () => {
    const prefix = `idn-${randomUUID()}`;
    const members = [
      { externalId: `${prefix}-1`, email: `plain-${prefix}@example.eu` },
      { externalId: `${prefix}-2`, email: "A@Müller.DE" },
      { externalId: `${prefix}-3`, email: "Ju\u0308rgen@mu\u0308ller.de" },
      { externalId: `${prefix}-4`, email: "用户@例子.广告" },
      { externalId: `${prefix}-5`, email: "a@xn--mller-kva.de" },
    ].map((member) => ({ ...member, country: "DE", birthDate: "1980-01-01" }));

    const response = await sync(members);

    expect(response).toEqual({ status: 200, json: { created: 5, updated: 0 } });
    expect(await stored(prefix)).toEqual([
      { externalId: `${prefix}-1`, email: `plain-${prefix}@example.eu` },
      { externalId: `${prefix}-2`, email: "a@müller.de" },
      { externalId: `${prefix}-3`, email: "j\u00fcrgen@m\u00fcller.de" },
      { externalId: `${prefix}-4`, email: "用户@例子.广告" },
      { externalId: `${prefix}-5`, email: "a@xn--mller-kva.de" },
    ]);
  });
});
