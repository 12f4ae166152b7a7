import { createServer } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { isDatabaseUp } from "@/lib/health/check-database";

/** A loopback port nothing listens on: bound by us, then released. */
const closedPort = async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
};

// This file's database refuses connections. Set before anything calls env().
beforeAll(async () => {
  process.env.DATABASE_URL = `postgresql://postgres@127.0.0.1:${await closedPort()}/unreachable`;
});

afterAll(async () => {
  await db().$disconnect().catch(() => undefined);
});

describe("isDatabaseUp when the database refuses connections", () => {
  it("resolves false without throwing", { timeout: 3_000 }, async () => {
    await expect(isDatabaseUp()).resolves.toBe(false);
  });
});
