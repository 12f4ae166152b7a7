import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { ADMIN_PATHS, pageAfterLinkRequest } from "@/lib/auth/admin-paths";
import { handlers } from "@/lib/auth/auth";
import { queueSignInEmail } from "@/lib/auth/queue-sign-in-email";
import { sendSignInEmail } from "@/lib/auth/send-sign-in-email";
import { SIGN_IN_REQUESTS_PER_IP_PER_HOUR } from "@/lib/auth/sign-in-rate-limit";
import { startSignInEmails } from "@/lib/auth/start-sign-in-emails";
import { db } from "@/lib/db";
import { jobs, stopJobs } from "@/lib/jobs";
import { pgPool } from "@/lib/pg";
import { fileSmtpSink } from "@/test/file-smtp-sink";
import { emailTo as emailAt, requestSignIn } from "@/test/sign-in-link";
import { TEST_ENV } from "@/test/test-env";

const smtp = fileSmtpSink();
const emailTo = (address: string, ms?: number) => emailAt({ smtp, address, ms });

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
});

const AUTH_URL = `${TEST_ENV.APP_URL}/api/auth`;
const SIGN_IN_QUEUE = "admin-sign-in";

/**
 * Each call its own visitor address, so the per-IP budget one test spends does not spill over to the
 * next: a counter, since a random pick of 250 met the address the rate-limit test had used up about
 * one run in 250. From .100, clear of the fixed addresses the break-glass test uses.
 */
let visitors = 0;
const visitorIp = () => `198.51.100.${100 + ++visitors}`;

/** What a sign-in request leaves in the database: queued sign-in jobs and stored tokens. */
const workDone = async () => {
  const { rows } = await pgPool().query<{ jobs: number; tokens: number }>(
    `SELECT (SELECT count(*)::int FROM pgboss.job WHERE name = $1) AS jobs, (SELECT count(*)::int FROM "AdminVerificationToken") AS tokens`,
    [SIGN_IN_QUEUE],
  );
  return rows[0]!;
};

const tokensFor = async (email: string) => db().adminVerificationToken.count({ where: { identifier: email } });

const inviteAdmin = async () => {
  const email = `admin-${randomUUID()}@objection.test`;
  await db().adminUser.create({ data: { email, role: "viewer" } });
  return email;
};

describe("admin sign-in by email", () => {
  it("does the same work for an admin and a stranger: one job queued, one token stored, the same answer", async () => {
    await jobs();
    const before = await workDone();
    const admin = await requestSignIn({ email: await inviteAdmin(), ip: visitorIp() });
    const afterAdmin = await workDone();
    const stranger = await requestSignIn({ email: `stranger-${randomUUID()}@objection.test`, ip: visitorIp() });
    const afterStranger = await workDone();

    expect(afterAdmin).toEqual({ jobs: before.jobs + 1, tokens: before.tokens + 1 });
    expect(afterStranger).toEqual({ jobs: afterAdmin.jobs + 1, tokens: afterAdmin.tokens + 1 });
    expect(stranger).toEqual(admin);
    expect(admin.status).toBe(302);
    expect(admin.location).toBe(`${AUTH_URL}/verify-request?provider=nodemailer&type=email`);
    // Followed, that answer is "check your inbox"; the console's form goes there at once.
    const followed = await handlers.GET(new Request(admin.location!) as never);
    expect(followed.status).toBe(302);
    expect(new URL(followed.headers.get("location")!, TEST_ENV.APP_URL).pathname).toBe(ADMIN_PATHS.checkEmail);
    expect(pageAfterLinkRequest(admin.location!)).toBe(ADMIN_PATHS.checkEmail);
    // The jobs carry the link alone: no address in the queue's table.
    const { rows } = await pgPool().query<{ data: unknown }>(`SELECT data FROM pgboss.job WHERE name = $1`, [SIGN_IN_QUEUE]);
    expect(JSON.stringify(rows)).not.toMatch(/@|%40/);
  });

  it(`stops queueing past ${SIGN_IN_REQUESTS_PER_IP_PER_HOUR} requests an hour from one address, with the same answer`, async () => {
    const ip = visitorIp();
    let last = { status: 0, location: null as string | null };
    for (let request = 0; request < SIGN_IN_REQUESTS_PER_IP_PER_HOUR; request++) last = await requestSignIn({ email: `stranger-${randomUUID()}@objection.test`, ip });
    const before = await workDone();
    const refused = await requestSignIn({ email: await inviteAdmin(), ip });
    expect(await workDone()).toEqual(before);
    expect(refused).toEqual(last);
    expect(pageAfterLinkRequest(refused.location!)).toBe(ADMIN_PATHS.checkEmail);
  });

  it("shows every answer to a link request at one address, and keeps an error page", () => {
    expect(pageAfterLinkRequest(`${AUTH_URL}/verify-request?provider=nodemailer&type=email`)).toBe(ADMIN_PATHS.checkEmail);
    expect(pageAfterLinkRequest(ADMIN_PATHS.linkSent)).toBe(ADMIN_PATHS.checkEmail);
    expect(pageAfterLinkRequest(`${TEST_ENV.APP_URL}${ADMIN_PATHS.checkEmail}`)).toBe(ADMIN_PATHS.checkEmail);
    expect(pageAfterLinkRequest(`${TEST_ENV.APP_URL}${ADMIN_PATHS.signInError}?error=Configuration`)).toBe(`${TEST_ENV.APP_URL}${ADMIN_PATHS.signInError}?error=Configuration`);
  });
  it("sends the admin's link through the worker, nothing to the stranger, and keeps neither job", async () => {
    const adminEmail = await inviteAdmin();
    const strangerEmail = `stranger-${randomUUID()}@objection.test`;
    await requestSignIn({ email: adminEmail, ip: visitorIp() });
    await requestSignIn({ email: strangerEmail, ip: visitorIp() });
    expect(smtp.messagesTo(adminEmail)).toHaveLength(0);

    await startSignInEmails(await jobs({ worker: true }));
    const message = await emailTo(adminEmail);
    const link = /https?:\/\/\S+\/api\/auth\/callback\/nodemailer\S*/.exec(message?.text ?? "")?.[0];
    expect(link).toBeDefined();
    expect(link).not.toMatch(/@|%40/);

    // The stranger's job ran too: its token is gone, and no email. No job is kept, in the queue or its archive.
    const until = Date.now() + 5_000;
    while ((await workDone()).jobs > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await workDone()).jobs).toBe(0);
    expect(await tokensFor(strangerEmail)).toBe(0);
    expect(await tokensFor(adminEmail)).toBe(1);
    expect(smtp.messagesTo(strangerEmail)).toHaveLength(0);
    const { rows } = await pgPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.archive WHERE name = $1`, [SIGN_IN_QUEUE]);
    expect(rows[0]!.n).toBe(0);

    // The link signs the admin in.
    const callback = await handlers.GET(new Request(link!) as never);
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe(`${TEST_ENV.APP_URL}/admin`);
    expect(callback.headers.getSetCookie().some((cookie) => cookie.startsWith("authjs.session-token="))).toBe(true);
  });
  it("queues and sends sign-in emails only as the job: the platform or an admin is refused, and nothing is queued or sent", async () => {
    await jobs();
    const email = await inviteAdmin();
    const url = `${AUTH_URL}/callback/nodemailer?token=${randomUUID()}`;
    const before = await workDone();
    await expect(queueSignInEmail({ actor: { kind: "admin", id: randomUUID(), role: "admin" }, url })).rejects.toMatchObject({ code: "forbidden" });
    await expect(sendSignInEmail({ actor: PLATFORM_ACTOR, to: email, url })).rejects.toMatchObject({ code: "forbidden" });
    expect(await workDone()).toEqual(before);
    expect(smtp.messagesTo(email)).toHaveLength(0);
  });
});
