import { createServer, type Server, type Socket } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { isDatabaseUp } from "@/lib/health/check-database";

// This file's database is a port that accepts connections and never answers: the worst case,
// where only isDatabaseUp's own timeout can give an answer. Set before anything calls env().
let silent: Server;
const sockets = new Set<Socket>();

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const address = silent.address();
  if (!address || typeof address === "string") throw new Error("no port");
  process.env.DATABASE_URL = `postgresql://postgres@127.0.0.1:${address.port}/unreachable`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  await db().$disconnect().catch(() => undefined);
});

describe("isDatabaseUp when the database does not answer", () => {
  it("resolves false instead of hanging or throwing", { timeout: 3_000 }, async () => {
    await expect(isDatabaseUp()).resolves.toBe(false);
  });
});
