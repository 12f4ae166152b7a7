import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { POST } from "@/app/u/[token]/one-click/route";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { personalLinkToken } from "@/lib/links/personal-link-url";
import { closePgPool, pgPool } from "@/lib/pg";
import { openUnsubscribeLink } from "@/lib/unsubscribe/open-unsubscribe-link";
import { stopEmails } from "@/lib/unsubscribe/stop-emails";
import { unsubscribeUrl } from "@/lib/unsubscribe/unsubscribe-url";
import { createCampaign } from "@/test/factories";
import { tamperedToken } from "@/test/tampered-token";
import { TEST_ENV } from "@/test/test-env";

afterAll(async () => {
  await closePgPool();
});

/** A member with one sent email notice; its "stop these emails" token. */
const memberWithNotice = async () => {
  const campaign = await createCampaign({ db: pgPool(), channels: ["email"], status: "done" });
  const { rows } = await pgPool().query<{ memberId: string; notificationId: string }>(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       VALUES ('unsubscribe-' || gen_random_uuid(), 'unsubscribe-' || gen_random_uuid() || '@example.eu', 'DE', '1980-01-01', 'de') RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT id, $1, 'email', 'sent', now() FROM m
     RETURNING "memberId", id AS "notificationId"`,
    [campaign.id],
  );
  const { memberId, notificationId } = rows[0]!;
  const url = unsubscribeUrl({ notificationId });
  return { memberId, notificationId, token: url.slice(`${TEST_ENV.APP_URL}/u/`.length) };
};

/** A POST as a mail client's one-click button sends it (RFC 8058), to /u/<token> (proxy.ts → ./one-click). */
const post = (token: string, body = "List-Unsubscribe=One-Click") =>
  POST(new Request(`${TEST_ENV.APP_URL}/u/${token}/one-click`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body }), {
    params: Promise.resolve({ token }),
  });

const suppressions = async (memberId: string) =>
  (await pgPool().query<{ reason: string; notificationId: string | null }>(`SELECT reason, "notificationId" FROM "EmailSuppression" WHERE "memberId" = $1`, [memberId])).rows;

const objections = async (memberId: string) => Number((await pgPool().query<{ count: string }>(`SELECT count(*) FROM "Objection" WHERE "memberId" = $1`, [memberId])).rows[0]?.count);

describe("one-click 'stop these emails'", () => {
  it("stops the member's emails on the one-click POST, once however often it is pressed, and stores no objection", async () => {
    const { memberId, notificationId, token } = await memberWithNotice();
    expect(await openUnsubscribeLink(token)).toMatchObject({ notificationId, memberId, locale: "de", stopped: false });

    const first = await post(token);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("not an objection");
    expect((await post(token)).status).toBe(200);

    expect(await suppressions(memberId)).toEqual([{ reason: "unsubscribe", notificationId }]);
    expect(await objections(memberId)).toBe(0);
    expect(await openUnsubscribeLink(token)).toMatchObject({ stopped: true });
  });

  it("opening the page's data changes nothing: mail scanners open every link", async () => {
    const { memberId, token } = await memberWithNotice();
    await openUnsubscribeLink(token);
    await openUnsubscribeLink(token);
    expect(await suppressions(memberId)).toEqual([]);
  });

  it("sends the page's confirm button back to the page (303), stopped", async () => {
    const { memberId, token } = await memberWithNotice();
    const response = await post(token, "List-Unsubscribe=One-Click&from=page");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/u/${token}`);
    expect(await suppressions(memberId)).toHaveLength(1);
  });

  it("keeps the first reason when the member was stopped already (a hard bounce)", async () => {
    const { memberId, token } = await memberWithNotice();
    await pgPool().query(`INSERT INTO "EmailSuppression" ("memberId", reason) VALUES ($1, 'hard_bounce')`, [memberId]);
    expect((await post(token)).status).toBe(200);
    expect(await suppressions(memberId)).toEqual([{ reason: "hard_bounce", notificationId: null }]);
  });

  it("answers 400, saying what to send, for a body that is not RFC 8058's, and stops nothing", async () => {
    const { memberId, token } = await memberWithNotice();
    for (const body of ["", "List-Unsubscribe=Yes", "unsubscribe=1"]) {
      const response = await post(token, body);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("List-Unsubscribe=One-Click");
    }
    expect(await suppressions(memberId)).toEqual([]);
  });

  it("refuses an objection link, a tampered or unknown token with 404: only an unsubscribe token stops emails", async () => {
    const { memberId, notificationId, token } = await memberWithNotice();
    const objectionToken = personalLinkToken({ subject: { kind: "notification", id: notificationId } });
    const tampered = tamperedToken(token);
    const unknown = personalLinkToken({ subject: { kind: "unsubscribe", id: randomUUID() } });
    for (const bad of [objectionToken, tampered, unknown, "not-a-token"]) {
      expect((await post(bad)).status).toBe(404);
      expect(await openUnsubscribeLink(bad)).toBeNull();
    }
    expect(await suppressions(memberId)).toEqual([]);
  });
  it("lets only the link's holder stop emails: an admin or the platform holding the token is refused, and nothing is stopped", async () => {
    const { memberId, token } = await memberWithNotice();
    await expect(stopEmails({ actor: { kind: "admin", id: randomUUID(), role: "admin" }, token })).rejects.toMatchObject({ code: "forbidden" });
    await expect(stopEmails({ actor: PLATFORM_ACTOR, token })).rejects.toMatchObject({ code: "forbidden" });
    expect(await suppressions(memberId)).toEqual([]);
  });
});
