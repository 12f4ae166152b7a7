import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { handlers } from "@/lib/auth/auth";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { startSignInEmails } from "@/lib/auth/start-sign-in-emails";
import { db } from "@/lib/db";
import { jobs, stopJobs } from "@/lib/jobs";
import { fileSmtpSink } from "@/test/file-smtp-sink";
import { emailTo, requestSignIn } from "@/test/sign-in-link";
import { TEST_ENV } from "@/test/test-env";

// ADMIN_EMAIL_SIGN_IN=0: single sign-on is the way in, and the emailed link works only for the
// break-glass addresses of ADMIN_EMAILS, each such sign-in audited as break-glass.
const BREAK_GLASS = `break-glass-${randomUUID()}@objection.test`;
const smtp = fileSmtpSink();

beforeAll(async () => {
  // Read once, at the first env(): set before any sign-in. The provider is never asked here.
  Object.assign(process.env, {
    ADMIN_EMAIL_SIGN_IN: "0",
    ADMIN_EMAILS: BREAK_GLASS,
    ADMIN_OIDC_ISSUER: "https://login.example.com",
    ADMIN_OIDC_CLIENT_ID: "objection-console",
    ADMIN_OIDC_CLIENT_SECRET: "a-client-secret",
  });
  await startSignInEmails(await jobs({ worker: true }));
});

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
});

const linkIn = (text: string | undefined) => /https?:\/\/\S+\/api\/auth\/callback\/nodemailer\S*/.exec(text ?? "")?.[0];

describe("with the emailed link off (ADMIN_EMAIL_SIGN_IN=0)", () => {
  it("sends an invited admin no link, with the same answer as anyone gets", async () => {
    const invited = `invited-${randomUUID()}@objection.test`;
    await db().adminUser.create({ data: { email: invited, role: "admin" } });
    const answer = await requestSignIn({ email: invited, ip: "198.51.100.7" });
    const breakGlass = await requestSignIn({ email: BREAK_GLASS, ip: "198.51.100.8" });
    expect(answer).toEqual(breakGlass);
    expect(await emailTo({ smtp, address: BREAK_GLASS })).not.toBeNull();
    // The invited admin's job ran too: it dropped their token and sent nothing.
    const until = Date.now() + 5_000;
    while ((await db().adminVerificationToken.count({ where: { identifier: invited } })) > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await db().adminVerificationToken.count({ where: { identifier: invited } })).toBe(0);
    expect(smtp.messagesTo(invited)).toHaveLength(0);
  });

  it("signs a break-glass address in by link: the session and the audit say break-glass", async () => {
    const before = smtp.messagesTo(BREAK_GLASS).length;
    await requestSignIn({ email: BREAK_GLASS, ip: "198.51.100.9" });
    const until = Date.now() + 5_000;
    while (smtp.messagesTo(BREAK_GLASS).length === before && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    const link = linkIn(smtp.messagesTo(BREAK_GLASS).at(-1)?.text);
    expect(link).toBeDefined();
    const callback = await handlers.GET(new Request(link!) as never);
    expect(callback.headers.get("location")).toBe(`${TEST_ENV.APP_URL}/admin`);
    const token = callback.headers.getSetCookie().find((cookie) => cookie.startsWith("authjs.session-token="))?.split(";")[0]?.split("=")[1];
    const session = await db().adminSession.findUnique({ where: { sessionToken: hashSessionToken(token!) }, select: { method: true, userId: true } });
    expect(session?.method).toBe("break_glass");
    const audit = await db().auditEvent.findMany({ where: { actorId: session!.userId, action: "sign_in" }, select: { detail: true } });
    expect(audit).toEqual([{ detail: { method: "break_glass" } }]);
  });
});
