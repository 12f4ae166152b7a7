import { afterAll, beforeAll, expect, it } from "vitest";

import { isAppError } from "@/lib/errors/app-error";
import { closePgPool, connectDirect } from "@/lib/pg";
import { startPgBouncer, type TPgBouncer } from "@/test/pgbouncer";

let bouncer: TPgBouncer;

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  bouncer = await startPgBouncer({ upstreamUrl: databaseUrl, poolSize: 1 });
  // Before anything reads env(): DATABASE_URL names PgBouncer and nothing names PostgreSQL itself.
  process.env.DATABASE_URL = bouncer.urlFor(databaseUrl);
  delete process.env.DIRECT_DATABASE_URL;
});

afterAll(async () => {
  await closePgPool();
  await bouncer?.stop();
});

it("a session asked of PgBouncer, for want of DIRECT_DATABASE_URL, fails as not configured and names the variable to set", async () => {
  const refused = await connectDirect().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(isAppError(refused, "not_configured")).toBe(true);
  expect((refused as Error).message).toContain("set DIRECT_DATABASE_URL to PostgreSQL itself");
});
