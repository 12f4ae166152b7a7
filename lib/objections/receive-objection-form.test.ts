import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { mintLinkToken } from "@/lib/links/token";
import { receiveObjectionForm } from "@/lib/objections/receive-objection-form";
import { closePgPool, pgPool } from "@/lib/pg";
import { createNotification } from "@/test/factories";
import { TEST_ENV } from "@/test/test-env";

const DAY_MS = 86_400_000;

/** A member with an email notice, and the token of that notice's personal link. */
const linkForNewMember = async () => {
  const externalId = `form-${randomUUID()}`;
  const member = await db().member.create({ data: { externalId, email: `${externalId}@example.eu`, country: "IE", birthDate: new Date("1990-05-17"), locale: "en" } });
  const notification = await createNotification({ db: pgPool(), memberId: member.id });
  const token = mintLinkToken({ subject: { kind: "notification", id: notification.id }, expiresAt: new Date(Date.now() + 30 * DAY_MS), secret: TEST_ENV.LINK_SECRET });
  return { memberId: member.id, token };
};

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

describe("receiveObjectionForm with characters a reason cannot hold", () => {
  it.each([
    ["NUL", "I object\u0000."],
    ["an escape character", "I object\u001b[31m."],
    ["a C1 control", "I object\u0085."],
  ])("a reason with %s is a field error on the reason, never an outage, and nothing is stored", async (_what, reason) => {
    const { memberId, token } = await linkForNewMember();
    const result = await receiveObjectionForm({ token, country: "IE", reason });
    expect(result).toEqual({ status: "invalid", token, fieldErrors: { reason: "reason_invalid_characters" }, country: "IE" });
    expect(await db().objection.count({ where: { memberId } })).toBe(0);
  });

  it("keeps line breaks and tabs in a reason, as written", async () => {
    const { memberId, token } = await linkForNewMember();
    const reason = "My posts are mine.\r\n\tPlease leave them out.";
    expect(await receiveObjectionForm({ token, country: "IE", reason })).toEqual({ status: "stored", token });
    expect((await db().objection.findFirstOrThrow({ where: { memberId } })).reason).toBe(reason);
  });
});
