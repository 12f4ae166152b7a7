import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import type { TAdminActor } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { listExportRuns } from "@/lib/exports/list-export-runs";
import { closePgPool } from "@/lib/pg";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const viewer = async (): Promise<TAdminActor> => {
  const admin = await db().adminUser.create({ data: { email: `viewer-${randomUUID()}@objection.test`, role: "viewer" } });
  return { kind: "admin", id: admin.id, role: "viewer" };
};

const readAll = async ({ actor, dir }: { actor: TAdminActor; dir: "asc" | "desc" }) => {
  const seen: { id: string; startedAt: Date }[] = [];
  let after: string | undefined;
  do {
    const page = await listExportRuns({ actor, after, dir, limit: 2 });
    seen.push(...page.runs.map(({ id, startedAt }) => ({ id, startedAt })));
    after = page.nextCursor ?? undefined;
  } while (after);
  return seen;
};

describe("listExportRuns", () => {
  it("pages every run once, newest first or, sorted by its header, oldest first; ties on the same millisecond included", async () => {
    const actor = await viewer();
    // Long ago, so that no other test takes these for the latest run.
    const at = new Date("1971-05-05T02:00:00.000Z");
    for (const startedAt of [at, at, new Date("1971-05-06T02:00:00.000Z")]) {
      await db().exportRun.create({ data: { cutoff: startedAt, startedAt, format: "csv", location: "/tmp/none", status: "failed", error: "test" } });
    }
    const newest = await readAll({ actor, dir: "desc" });
    const oldest = await readAll({ actor, dir: "asc" });
    expect(new Set(newest.map((run) => run.id)).size).toBe(newest.length);
    expect(oldest.map((run) => run.id)).toEqual([...newest].reverse().map((run) => run.id));
    expect(newest.map((run) => run.startedAt.getTime())).toEqual([...newest.map((run) => run.startedAt.getTime())].sort((a, b) => b - a));
  });
});
