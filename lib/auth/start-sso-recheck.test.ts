import { randomUUID } from "node:crypto";

import type PgBoss from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";

import { SSO_ACTOR } from "@/lib/auth/admit-sso-user";
import { sealSsoToken } from "@/lib/auth/sso-token-box";
import { SSO_RECHECK_CRON, startSsoRecheck } from "@/lib/auth/start-sso-recheck";
import { db } from "@/lib/db";
import { QUEUES, startBoss } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { waitUntil } from "@/test/campaign-fixtures";
import { startOidcProvider, type TOidcProvider } from "@/test/oidc-provider";
import { SSO_CLIENT, SSO_REDIRECT_URI } from "@/test/sso-sign-in";

// The worker's wiring: with single sign-on set up, the check is scheduled every minute and its
// job checks due sessions. (The cron tick itself is pg-boss's: lib/exports/export-schedule.test.ts waits for one.)

let provider: TOidcProvider;
let boss: PgBoss | undefined;

beforeAll(async () => {
  provider = await startOidcProvider({ ...SSO_CLIENT, redirectUris: [SSO_REDIRECT_URI], users: [] });
  Object.assign(process.env, { ADMIN_OIDC_ISSUER: provider.issuer, ADMIN_OIDC_CLIENT_ID: SSO_CLIENT.clientId, ADMIN_OIDC_CLIENT_SECRET: SSO_CLIENT.clientSecret });
});

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await provider?.stop();
  await db().$disconnect();
  await closePgPool();
});

it("schedules the check every minute, and its job ends a due session the provider refuses", async () => {
  boss = await startBoss({ worker: false });
  expect(await startSsoRecheck(boss)).toBe(true);
  expect((await boss.getSchedules()).filter(({ name }) => name === QUEUES.ssoRecheck.name).map(({ cron }) => cron)).toEqual([SSO_RECHECK_CRON]);

  const admin = await db().adminUser.create({ data: { email: `wired-${randomUUID()}@staff.example.org`, role: "viewer" } });
  const session = await db().adminSession.create({
    data: {
      sessionToken: randomUUID(),
      userId: admin.id,
      expires: new Date(Date.now() + 3_600_000),
      method: "sso",
      ssoSubject: "wired",
      ssoRefreshToken: sealSsoToken("a-refresh-token-the-provider-never-issued"),
      ssoCheckAt: new Date(Date.now() - 1_000),
    },
  });
  await boss.send(QUEUES.ssoRecheck.name, {});
  await waitUntil({ check: async () => (await db().adminSession.findUnique({ where: { id: session.id } })) === null, timeoutMs: 15_000, what: "the job's check" });
  const audit = await db().auditEvent.findMany({ where: { action: "sso_session_ended", targetId: admin.id }, select: { actorJob: true, detail: true } });
  expect(audit).toEqual([{ actorJob: SSO_ACTOR.job, detail: { subject: "wired", reason: "refresh_refused", mappedRole: null } }]);
});
