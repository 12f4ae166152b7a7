import { randomBytes, randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { closePgPool, pgPool } from "@/lib/pg";
import { listSuppressions } from "@/lib/suppressions/list-suppressions";
import { ZSuppressionFilters } from "@/lib/suppressions/schema";

afterAll(async () => {
  await closePgPool();
});

const viewer = { id: randomUUID(), role: "viewer" as const };

describe("listSuppressions", () => {
  it("pages on the member id, filters by reason, and names the member and the notice", async () => {
    const pool = pgPool();
    // Member ids that sort together, after a known one, so rows other tests made cannot land between them.
    const prefix = randomBytes(4).toString("hex");
    const id = (n: number) => `${prefix}-0000-4000-8000-${n.toString().padStart(12, "0")}`;
    const externalId = (n: number) => `suppressed-${prefix}-${n}`;
    for (const n of [1, 2, 3]) {
      await pool.query(`INSERT INTO "Member" (id, "externalId", email, country, "birthDate") VALUES ($1, $2, $2 || '@example.eu', 'IE', '1980-01-01')`, [id(n), externalId(n)]);
    }
    const { rows: campaigns } = await pool.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, countries) VALUES ($1, '{email}', '{IE}') RETURNING id`, [`suppressions ${prefix}`]);
    const { rows: notices } = await pool.query<{ id: string }>(`INSERT INTO "Notification" ("memberId", "campaignId", channel, status) VALUES ($1, $2, 'email', 'sent') RETURNING id`, [id(1), campaigns[0]!.id]);
    await pool.query(
      `INSERT INTO "EmailSuppression" ("memberId", reason, "notificationId", "createdAt")
       VALUES ($1, 'hard_bounce', $4, '2026-01-01T10:00:00Z'), ($2, 'complaint', NULL, '2026-01-02T10:00:00Z'), ($3, 'hard_bounce', NULL, '2026-01-03T10:00:00Z')`,
      [id(1), id(2), id(3), notices[0]!.id],
    );
    const start = id(0);

    const first = await listSuppressions({ actor: viewer, filters: ZSuppressionFilters.parse({ after: start }), limit: 2 });
    expect(first.suppressions.map((row) => row.externalId)).toEqual([externalId(1), externalId(2)]);
    expect(first.suppressions[0]).toEqual({
      memberId: id(1),
      externalId: externalId(1),
      reason: "hard_bounce",
      createdAt: new Date("2026-01-01T10:00:00Z"),
      notice: { id: notices[0]!.id, channel: "email", campaignId: campaigns[0]!.id, campaignName: `suppressions ${prefix}` },
    });
    expect(first.suppressions[1]?.notice).toBeNull();
    expect(first.nextCursor).toBe(id(2));

    const second = await listSuppressions({ actor: viewer, filters: ZSuppressionFilters.parse({ after: first.nextCursor }), limit: 2 });
    expect(second.suppressions[0]?.externalId).toBe(externalId(3));

    const hardBounces = await listSuppressions({ actor: viewer, filters: ZSuppressionFilters.parse({ after: start, reason: "hard_bounce" }), limit: 2 });
    expect(hardBounces.suppressions.map((row) => row.externalId)).toEqual([externalId(1), externalId(3)]);
    expect(JSON.stringify([first, second, hardBounces])).not.toContain("@");
  });

  it("ignores a hand-edited cursor or reason, and lets every role read", async () => {
    expect(ZSuppressionFilters.parse({ after: "not-a-uuid'--", reason: "everything" })).toEqual({ after: undefined, reason: undefined });
    for (const role of ["viewer", "reviewer", "admin"] as const) {
      await expect(listSuppressions({ actor: { id: randomUUID(), role }, filters: {}, limit: 1 })).resolves.toHaveProperty("suppressions");
    }
  });
});
