import { createServer } from "node:net";

import { afterAll, beforeAll } from "vitest";

import { db } from "@/lib/db";

/** A loopback port nothing listens on: bound by us, then released. */
const closedPort = async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
};

/** Registers hooks that point this file's database at a port that refuses connections, set before anything calls env(). */
export const setupRefusedDatabase = () => {
  beforeAll(async () => {
    process.env.DATABASE_URL = `postgresql://postgres@127.0.0.1:${await closedPort()}/unreachable`;
  });

  afterAll(async () => {
    await db().$disconnect().catch(() => undefined);
  });
};
