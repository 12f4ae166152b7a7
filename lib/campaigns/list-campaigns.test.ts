import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import type { TAdminActor } from "@/lib/auth/roles";
import { listCampaigns } from "@/lib/campaigns/list-campaigns";
import { db } from "@/lib/db";

afterAll(async () => {
  await db().$disconnect();
});

const readAll = async ({ actor, dir }: { actor: TAdminActor; dir: "asc" | "desc" }) => {
  const seen: string[] = [];
  let after: string | undefined;
  do {
    const page = await listCampaigns({ actor, after, dir, limit: 2 });
    seen.push(...page.campaigns.map(({ id }) => id));
    after = page.nextCursor ?? undefined;
  } while (after);
  return seen;
};

describe("listCampaigns", () => {
  it("pages every campaign once, newest first or, sorted by its header, oldest first; ties on the same millisecond included", async () => {
    const admin = await db().adminUser.create({ data: { email: `viewer-${randomUUID()}@objection.test`, role: "viewer" } });
    const actor: TAdminActor = { kind: "admin", id: admin.id, role: "viewer" };
    const at = new Date("1972-03-03T10:00:00.000Z");
    const made = [];
    for (const createdAt of [at, at, new Date("1972-03-04T10:00:00.000Z")]) made.push(await db().campaign.create({ data: { name: `Paging ${randomUUID()}`, channels: ["email"], createdAt } }));
    const newest = await readAll({ actor, dir: "desc" });
    const oldest = await readAll({ actor, dir: "asc" });
    expect(new Set(newest).size).toBe(newest.length);
    expect(oldest).toEqual([...newest].reverse());
    expect(made.every(({ id }) => newest.includes(id))).toBe(true);
  });
});
