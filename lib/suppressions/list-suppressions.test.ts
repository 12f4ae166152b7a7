import { randomBytes, randomInt, randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { encodeTimeIdCursor } from "@/lib/pagination/time-id-cursor";
import { closePgPool, pgPool } from "@/lib/pg";
import { listSuppressions } from "@/lib/suppressions/list-suppressions";
import { BROKEN_CURSOR_MESSAGE, readSuppressionFilters, ZSuppressionFilters } from "@/lib/suppressions/schema";

afterAll(async () => {
  await closePgPool();
});

const viewer = { kind: "admin" as const, id: randomUUID(), role: "viewer" as const };

/** Each call's rows in a year of their own: two random years (of 500) met about one run in 500, and mixed the two calls' rows. */
let nextYear = 2500 + randomInt(400);

/**
 * Six suppressions in a window of time no other test writes in (a random year past 2500), so a
 * cursor just after the window opens the list on them: one newest, three in the same millisecond,
 * one a millisecond older (a cursor that lost its milliseconds would skip or repeat it), one oldest.
 */
const createSuppressions = async () => {
  const pool = pgPool();
  const prefix = randomBytes(4).toString("hex");
  const id = (n: number) => `${prefix}-0000-4000-8000-${n.toString().padStart(12, "0")}`;
  const externalId = (n: number) => `suppressed-${prefix}-${n}`;
  const base = Date.UTC(nextYear++, 0, 1, 0, 0, 0, 123);
  const at = { newest: new Date(base + 2000), tied: new Date(base + 1000), justBefore: new Date(base + 999), oldest: new Date(base) };
  const rows = [
    { n: 1, reason: "hard_bounce", at: at.newest },
    { n: 2, reason: "complaint", at: at.tied },
    { n: 3, reason: "hard_bounce", at: at.tied },
    { n: 4, reason: "unsubscribe", at: at.tied },
    { n: 5, reason: "hard_bounce", at: at.justBefore },
    { n: 6, reason: "complaint", at: at.oldest },
  ];
  const { rows: campaigns } = await pool.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, countries) VALUES ($1, '{email}', '{IE}') RETURNING id`, [`suppressions ${prefix}`]);
  let noticeId = "";
  for (const row of rows) {
    await pool.query(`INSERT INTO "Member" (id, "externalId", email, country, "birthDate") VALUES ($1, $2, $2 || '@example.eu', 'IE', '1980-01-01')`, [id(row.n), externalId(row.n)]);
    if (row.n === 1) {
      const { rows: notices } = await pool.query<{ id: string }>(`INSERT INTO "Notification" ("memberId", "campaignId", channel, status) VALUES ($1, $2, 'email', 'sent') RETURNING id`, [id(1), campaigns[0]!.id]);
      noticeId = notices[0]!.id;
    }
    await pool.query(`INSERT INTO "EmailSuppression" ("memberId", reason, "notificationId", "createdAt") VALUES ($1, $2, $3, $4)`, [id(row.n), row.reason, row.n === 1 ? noticeId : null, row.at]);
  }
  // Sorts after every row of the window: the list opened here starts at its newest row.
  const start = encodeTimeIdCursor({ at: new Date(base + 86_400_000), id: randomUUID() });
  return { id, externalId, at, start, noticeId, campaignId: campaigns[0]!.id, campaignName: `suppressions ${prefix}` };
};

const page = ({ after, reason, limit = 2 }: { after: string | null; reason?: string; limit?: number }) =>
  listSuppressions({ actor: viewer, filters: ZSuppressionFilters.parse({ after: after ?? undefined, reason }), limit });

describe("listSuppressions", () => {
  it("lists newest first, the same millisecond by member id, and pages neither overlap nor skip", async () => {
    const s = await createSuppressions();

    const first = await page({ after: s.start });
    expect(first.suppressions.map((row) => row.memberId)).toEqual([s.id(1), s.id(4)]);
    expect(first.suppressions[0]).toEqual({
      memberId: s.id(1),
      externalId: s.externalId(1),
      reason: "hard_bounce",
      createdAt: s.at.newest,
      notice: { id: s.noticeId, channel: "email", campaignId: s.campaignId, campaignName: s.campaignName },
    });
    expect(first.suppressions[1]?.notice).toBeNull();
    // The cursor keeps the millisecond: the page boundary falls inside the three tied rows.
    expect(first.nextCursor).toBe(`${s.at.tied.toISOString()}_${s.id(4)}`);
    expect(first.nextCursor).toMatch(/\.123Z_/);

    const second = await page({ after: first.nextCursor });
    expect(second.suppressions.map((row) => row.memberId)).toEqual([s.id(3), s.id(2)]);
    const third = await page({ after: second.nextCursor });
    expect(third.suppressions.map((row) => row.memberId)).toEqual([s.id(5), s.id(6)]);
    expect(third.suppressions.map((row) => row.createdAt)).toEqual([s.at.justBefore, s.at.oldest]);

    // One walk of pages of one row gives the same order, each row once.
    const walked: string[] = [];
    let after: string | null = s.start;
    while (walked.length < 6 && after) {
      const next = await page({ after, limit: 1 });
      walked.push(...next.suppressions.map((row) => row.memberId));
      after = next.nextCursor;
    }
    expect(walked).toEqual([1, 4, 3, 2, 5, 6].map(s.id));
    expect(JSON.stringify([first, second, third])).not.toContain("@");
  });

  it("filters by reason, newest first, paging within the reason", async () => {
    const s = await createSuppressions();

    const hardBounces = await page({ after: s.start, reason: "hard_bounce" });
    expect(hardBounces.suppressions.map((row) => row.memberId)).toEqual([s.id(1), s.id(3)]);
    expect(hardBounces.suppressions.every((row) => row.reason === "hard_bounce")).toBe(true);
    const nextHardBounces = await page({ after: hardBounces.nextCursor, reason: "hard_bounce" });
    expect(nextHardBounces.suppressions[0]?.memberId).toBe(s.id(5));
    expect(nextHardBounces.suppressions.every((row) => row.reason === "hard_bounce")).toBe(true);

    const complaints = await page({ after: s.start, reason: "complaint" });
    expect(complaints.suppressions.map((row) => row.memberId)).toEqual([s.id(2), s.id(6)]);
    const unsubscribes = await page({ after: s.start, reason: "unsubscribe", limit: 1 });
    expect(unsubscribes.suppressions.map((row) => row.memberId)).toEqual([s.id(4)]);
  });

  it("refuses a malformed cursor in the schema, says so and starts from the first page; ignores an unknown reason", async () => {
    const memberId = randomUUID();
    const broken = [
      memberId, // a member id, as the list's links carried before it went newest first
      `2026-01-01T10:00:00Z_${memberId}`, // no milliseconds
      `2026-01-01T10:00:00.123456Z_${memberId}`, // more than PostgreSQL keeps
      `2026-02-30T10:00:00.000Z_${memberId}`,
      "2026-01-01T10:00:00.000Z_not-a-uuid'--",
      `2026-01-01T10:00:00.000Z_${memberId}`.repeat(3),
      ["2026-01-01T10:00:00.000Z_" + memberId, "2026-01-02T10:00:00.000Z_" + memberId],
      "",
    ];
    for (const after of broken) {
      expect(ZSuppressionFilters.safeParse({ after }).success, String(after)).toBe(false);
      const read = readSuppressionFilters({ after, reason: "complaint" });
      expect(read).toEqual({ filters: { reason: "complaint" }, problem: BROKEN_CURSOR_MESSAGE });
      await expect(listSuppressions({ actor: viewer, filters: read.filters, limit: 1 })).resolves.toHaveProperty("suppressions");
    }
    expect(readSuppressionFilters({ reason: "everything" })).toEqual({ filters: { reason: undefined } });
    const at = new Date("2026-01-01T10:00:00.123Z");
    expect(readSuppressionFilters({ after: encodeTimeIdCursor({ at, id: memberId }) })).toEqual({ filters: { after: { at, id: memberId } } });
  });

  it("lets every role read", async () => {
    for (const role of ["viewer", "reviewer", "admin"] as const) {
      await expect(listSuppressions({ actor: { kind: "admin", id: randomUUID(), role }, filters: {}, limit: 1 })).resolves.toHaveProperty("suppressions");
    }
  });
});
