import { afterAll, expect, it } from "vitest";

import { startSsoRecheck } from "@/lib/auth/start-sso-recheck";
import { QUEUES, startBoss } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";

// Without ADMIN_OIDC_ISSUER (this file sets none), a worker neither runs nor keeps the check's
// schedule: a job no worker handles would otherwise wait in the queue every minute.

afterAll(async () => {
  await closePgPool();
});

it("removes the check's schedule and registers no handler when single sign-on is not set up", async () => {
  const boss = await startBoss({ worker: false });
  try {
    // As a worker with single sign-on set up left it.
    await boss.schedule(QUEUES.ssoRecheck.name, "* * * * *", {}, { tz: "UTC" });
    expect(await startSsoRecheck(boss)).toBe(false);
    expect((await boss.getSchedules()).map(({ name }) => name)).not.toContain(QUEUES.ssoRecheck.name);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
});
