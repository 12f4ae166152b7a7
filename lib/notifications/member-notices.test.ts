import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { loadMessages } from "@/lib/i18n/locales";
import { memberNotices } from "@/lib/notifications/member-notices";
import { closePgPool, pgPool } from "@/lib/pg";
import { createDoneCampaigns, createNotification } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

/** A member with one in-app notice. */
const memberWithNotice = async ({ locale = "de", country = "AT" }: { locale?: string; country?: string } = {}) => {
  const externalId = `notices-${randomUUID()}`;
  const member = await db().member.create({ data: { externalId, email: `${externalId}@example.eu`, country, birthDate: new Date("1984-02-03"), locale } });
  await createNotification({ db: pgPool(), memberId: member.id, channel: "in_app" });
  return member;
};

const objection = ({ status = "effective", ...data }: { memberId?: string; email: string; status?: "effective" | "withdrawn" | "rejected"; source?: "direct" | "prior" | "email_link" }) =>
  db().objection.create({
    data: { country: "AT", source: "direct", status, withdrawnAt: status === "withdrawn" ? new Date() : null, rejectedAt: status === "rejected" ? new Date() : null, ...data },
  });

describe("a member's in-app notices", () => {
  it("are served, in the member's language, until the member objects", async () => {
    const member = await memberWithNotice();
    const notices = await memberNotices(member.externalId);
    expect(notices).toHaveLength(1);
    expect(notices?.[0]?.locale).toBe("de");

    await objection({ memberId: member.id, email: member.email, source: "email_link" });
    expect(await memberNotices(member.externalId)).toEqual([]);
  });

  it.each([
    ["pt-PT", "PT", "pt"],
    ["de-AT", "AT", "de"],
    ["nb-NO", "NO", "nb"],
  ])("speak a regional locale's language: %s → %s", async (locale, country, language) => {
    const member = await memberWithNotice({ locale, country });
    const [notice] = (await memberNotices(member.externalId)) ?? [];
    expect(notice?.locale).toBe(language);
    expect(notice?.title).toBe(loadMessages(language).inApp.title);
  });

  it("are not served once the member's address has objected without an account (by /object, or imported)", async () => {
    const viaObject = await memberWithNotice();
    await objection({ email: viaObject.email, source: "direct" });
    expect(await memberNotices(viaObject.externalId)).toEqual([]);

    const imported = await memberWithNotice();
    await objection({ email: imported.email, source: "prior" });
    expect(await memberNotices(imported.externalId)).toEqual([]);
  });

  it("are served again after a withdrawal, and despite a withdrawn or rejected objection under the address", async () => {
    const member = await memberWithNotice();
    await objection({ memberId: member.id, email: member.email, status: "withdrawn" });
    await objection({ email: member.email, status: "rejected" });
    expect(await memberNotices(member.externalId)).toHaveLength(1);
  });

  it("are one per member, the latest, however many campaigns told them", async () => {
    const member = await memberWithNotice();
    const campaigns = await createDoneCampaigns({ db: pgPool(), count: 2, channels: ["in_app"] });
    const later = await db().notification.create({ data: { memberId: member.id, campaignId: campaigns[0]!, channel: "in_app", status: "sent", sentAt: new Date(), createdAt: new Date(Date.now() + 60_000) } });
    await db().notification.create({ data: { memberId: member.id, campaignId: campaigns[1]!, channel: "in_app", status: "seen", sentAt: new Date(), seenAt: new Date(), createdAt: new Date(Date.now() - 60_000) } });

    const notices = await memberNotices(member.externalId);
    expect(notices?.map((notice) => notice.id)).toEqual([later.id]);
  });

  it("answer null for an unknown member", async () => {
    expect(await memberNotices(`nobody-${randomUUID()}`)).toBeNull();
  });
});
