import { randomUUID } from "node:crypto";

import type { APIRequestContext } from "@playwright/test";
import Ajv2020 from "ajv/dist/2020";

import { TEST_ENV } from "../test/test-env";
import { expect, test as base } from "./fixtures";

const auth = { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}` };

// No other spec makes members in Slovenia: the campaign here reaches this test's member only.
// The other tests sync theirs in Croatia, so the campaign leaves them without a notice.
const CAMPAIGN_COUNTRY = "SI";
const OTHER_COUNTRY = "HR";

type TNotice = {
  id: string;
  channel: "email" | "in_app";
  campaign: { id: string; name: string } | null;
  noticeVersion: string | null;
  locale: string | null;
  createdAt: string;
  sentAt: string | null;
  relayReply: string | null;
  status: string;
  bounce: unknown;
  seenAt: string | null;
  clickedAt: string | null;
};

type THistory = { externalId: string; suppression: unknown; notices: TNotice[] };

type TPlatform = {
  /** Syncs one new member through the API; returns its externalId. */
  syncMember: (options: { locale: string; country: string }) => Promise<string>;
  /** Creates and launches a campaign on both channels for CAMPAIGN_COUNTRY through the API. */
  launchCampaign: () => Promise<{ id: string; name: string }>;
  notices: (path: string, headers?: Record<string, string>) => ReturnType<APIRequestContext["get"]>;
};

const test = base.extend<{ platform: TPlatform }>({
  platform: async ({ request }, use) => {
    await use({
      syncMember: async ({ locale, country }) => {
        const externalId = `notices-${randomUUID()}`;
        const member = { externalId, email: `${externalId}@example.eu`, country, birthDate: "1985-04-05", locale };
        const synced = await request.put("/api/v1/members", { headers: auth, data: { members: [member] } });
        expect(synced.status()).toBe(200);
        return externalId;
      },
      launchCampaign: async () => {
        const name = `notices ${randomUUID()}`;
        const created = await request.post("/api/v1/campaigns", { headers: auth, data: { name, channels: ["email", "in_app"], countries: [CAMPAIGN_COUNTRY] } });
        expect(created.status()).toBe(201);
        const { id } = (await created.json()) as { id: string };
        expect((await request.post(`/api/v1/campaigns/${id}/launch`, { headers: auth })).status()).toBe(202);
        return { id, name };
      },
      notices: (path, headers = auth) => request.get(`/api/v1/members/${path}/notices`, { headers }),
    });
  },
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

test.describe("GET /api/v1/members/{externalId}/notices", () => {
  test("lists the email and the in-app notice of a campaign: channel, campaign, version, language, sent time, relay reply, seen time; valid against the OpenAPI schema", async ({
    request,
    platform,
  }) => {
    const externalId = await platform.syncMember({ locale: "de", country: CAMPAIGN_COUNTRY });
    const campaign = await platform.launchCampaign();

    // The worker sends the email; the answer shows it once the relay took it.
    let history: THistory | undefined;
    await expect(async () => {
      const response = await platform.notices(encodeURIComponent(externalId));
      expect(response.status()).toBe(200);
      history = (await response.json()) as THistory;
      expect(history.notices.find((notice) => notice.channel === "email")?.status).toBe("sent");
    }).toPass({ timeout: 30_000 });

    // The member sees the in-app notice in the platform's app, which reports it as the app does.
    const feed = (await (await request.get(`/api/v1/members/${encodeURIComponent(externalId)}/notifications`, { headers: auth })).json()) as { id: string }[];
    expect(feed).toHaveLength(1);
    expect((await request.post(`/api/v1/notifications/${feed[0]!.id}/seen`, { headers: auth })).status()).toBe(204);

    const response = await platform.notices(encodeURIComponent(externalId));
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toBe("no-store");
    const body = (await response.json()) as THistory;
    expect(body).toMatchObject({ externalId, suppression: null });
    expect(body.notices).toHaveLength(2);
    const email = body.notices.find((notice) => notice.channel === "email");
    const inApp = body.notices.find((notice) => notice.channel === "in_app");

    expect(email).toMatchObject({ campaign, locale: "de", status: "sent", bounce: null, seenAt: null });
    expect(email?.noticeVersion).toMatch(/\S/);
    expect(email?.sentAt).toMatch(ISO);
    // What the relay answered, kept as proof, without any address.
    expect(email?.relayReply).toMatch(/\S/);
    expect(email?.relayReply).not.toContain("@");

    expect(inApp).toMatchObject({ id: feed[0]!.id, campaign, status: "seen", relayReply: null, bounce: null });
    expect(inApp?.sentAt).toMatch(ISO);
    expect(inApp?.seenAt).toMatch(ISO);
    expect(Date.parse(inApp!.seenAt!)).toBeGreaterThanOrEqual(Date.parse(inApp!.sentAt!));

    // Newest first; no address anywhere in the answer.
    const created = body.notices.map((notice) => Date.parse(notice.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(JSON.stringify(body)).not.toContain("example.eu");

    // The answer is what the published contract says it is.
    const document = (await (await request.get("/api/v1/openapi.json")).json()) as { components: { schemas: Record<string, object> } };
    // Formats off (no ajv-formats here): the generated schema carries a pattern beside each format.
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(document.components.schemas.MemberNoticeHistory!);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  });

  test("a known member with no notice has an empty list", async ({ platform }) => {
    const externalId = await platform.syncMember({ locale: "en", country: OTHER_COUNTRY });
    const response = await platform.notices(encodeURIComponent(externalId));
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ externalId, suppression: null, notices: [] });
  });

  test("an unknown member is a 404 with a message; a malformed id a 422 saying what to fix; no or a wrong token a 401", async ({ platform }) => {
    const unknown = await platform.notices(`nobody-${randomUUID()}`);
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found", message: expect.stringMatching(/externalId/) } });

    for (const [malformed, reason] of [
      ["x".repeat(201), /at most 200 characters/],
      ["a\u0000b", /control characters/],
      ["a\r\nb", /control characters/],
    ] as const) {
      const response = await platform.notices(encodeURIComponent(malformed));
      expect(response.status(), JSON.stringify(malformed)).toBe(422);
      expect(await response.json()).toEqual({
        error: { code: "invalid_external_id", message: expect.stringMatching(/externalId/), issues: [{ field: "externalId", reason: expect.stringMatching(reason) }] },
      });
    }

    const externalId = await platform.syncMember({ locale: "en", country: OTHER_COUNTRY });
    const anonymous = await platform.notices(encodeURIComponent(externalId), {});
    expect(anonymous.status()).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "unauthorized", message: expect.stringMatching(/Bearer/) } });
    expect(anonymous.headers()["www-authenticate"]).toBe("Bearer");
    expect((await platform.notices(encodeURIComponent(externalId), { authorization: "Bearer wrong" })).status()).toBe(401);
  });
});
