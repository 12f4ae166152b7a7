import { afterAll, afterEach, describe, expect, it } from "vitest";

import { GET } from "@/app/api/health/route";
import type { TWebLifecycle } from "@/lib/lifecycle/web-lifecycle";
import { closePgPool } from "@/lib/pg";

// What scripts/start-web.mjs shares with the app (lib/lifecycle/web-lifecycle.ts).
const KEY = Symbol.for("objection.web-lifecycle");
const global = globalThis as unknown as Record<symbol, TWebLifecycle | undefined>;

afterEach(() => {
  global[KEY] = undefined;
});

afterAll(async () => {
  await closePgPool();
});

describe("GET /api/health", () => {
  it("answers ok when the database answers and the instance is not shutting down", async () => {
    global[KEY] = { shuttingDown: false, onDrained: [] };
    const response = await GET();
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe("ok");
  });

  it("answers 503 once SIGTERM arrived, database up or not, so the load balancer takes the instance out", async () => {
    global[KEY] = { shuttingDown: true, onDrained: [] };
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", shuttingDown: true });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
