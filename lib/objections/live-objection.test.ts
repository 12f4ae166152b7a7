import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import type { ObjectionSource, ObjectionStatus } from "@/lib/generated/prisma/enums";
import { isLiveSql, LIVE_OBJECTION_RULES, liveObjectionSql, liveObjectionWhere, noLiveObjectionSql, type TLiveObjectionRule } from "@/lib/objections/live-objection";
import { closePgPool, pgPool } from "@/lib/pg";
import { createMember, type TTestMemberRow } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

type TObjectionRow = { matched: boolean; status: ObjectionStatus; source: ObjectionSource; pending?: boolean };

// One member per case, each with the objections it names: matched to the account, or under its
// address alone; live, withdrawn, rejected, or live with a rejection waiting.
const CASES = {
  matchedLive: [{ matched: true, status: "effective", source: "email_link" }],
  matchedPending: [{ matched: true, status: "effective", source: "direct", pending: true }],
  matchedWithdrawn: [{ matched: true, status: "withdrawn", source: "in_app_link" }],
  matchedRejected: [{ matched: true, status: "rejected", source: "email_link" }],
  unmatchedDirect: [{ matched: false, status: "effective", source: "direct" }],
  unmatchedPrior: [{ matched: false, status: "effective", source: "prior" }],
  unmatchedWithdrawn: [{ matched: false, status: "withdrawn", source: "direct" }],
  unmatchedRejected: [{ matched: false, status: "rejected", source: "direct" }],
  withdrawnThenLive: [
    { matched: true, status: "withdrawn", source: "email_link" },
    { matched: true, status: "effective", source: "email_link" },
  ],
  none: [],
} as const satisfies Record<string, readonly TObjectionRow[]>;

type TCase = keyof typeof CASES;

const insertObjection = async ({ member, row }: { member: TTestMemberRow; row: TObjectionRow }) => {
  const { rows } = await pgPool().query<{ id: string }>(
    `INSERT INTO "Objection" ("memberId", email, country, source, status, "withdrawnAt", "rejectedAt", "rejectionReason", "rejectionRequestedBy", "rejectionRequestedAt")
     VALUES ($1, $2, 'IE', $3::"ObjectionSource", $4::"ObjectionStatus", CASE WHEN $4::"ObjectionStatus" = 'withdrawn' THEN now() END, CASE WHEN $4::"ObjectionStatus" = 'rejected' THEN now() END,
             CASE WHEN $5::boolean THEN 'test' END, CASE WHEN $5::boolean THEN gen_random_uuid() END, CASE WHEN $5::boolean THEN now() END)
     RETURNING id`,
    [row.matched ? member.id : null, member.email, row.source, row.status, row.pending ?? false],
  );
  return rows[0]!.id;
};

const members = new Map<TCase, TTestMemberRow>();
const objectionsOf = new Map<TCase, string[]>();

beforeAll(async () => {
  for (const [name, rows] of Object.entries(CASES) as [TCase, readonly TObjectionRow[]][]) {
    const member = await createMember({ db: pgPool(), externalId: `live-${name}-${randomUUID()}` });
    members.set(name, member);
    const ids: string[] = [];
    for (const row of rows) ids.push(await insertObjection({ member, row }));
    objectionsOf.set(name, ids);
  }
});

const bySql = async ({ rule, member }: { rule: TLiveObjectionRule; member: TTestMemberRow }) => {
  const where = liveObjectionSql({ rule, objection: "o", memberId: "$1::uuid", email: "$2::text" } as Parameters<typeof liveObjectionSql>[0]);
  const { rows } = await pgPool().query<{ id: string }>(`SELECT o.id FROM "Objection" o WHERE ${where} AND $1::uuid IS NOT NULL AND $2::text IS NOT NULL`, [member.id, member.email]);
  return rows.map((row) => row.id).sort();
};

const byPrisma = async ({ rule, member }: { rule: TLiveObjectionRule; member: TTestMemberRow }) => {
  const where = liveObjectionWhere({ rule, memberId: member.id, email: member.email } as Parameters<typeof liveObjectionWhere>[0]);
  return (await db().objection.findMany({ where, select: { id: true } })).map((row) => row.id).sort();
};

/** The objections of a case that are live (the last of each case's rows is the one a rule may find). */
const live = (name: TCase, keep: (row: TObjectionRow) => boolean) => {
  const ids = objectionsOf.get(name)!;
  return (CASES[name] as readonly TObjectionRow[]).flatMap((row, index) => (row.status === "effective" && keep(row) ? [ids[index]!] : [])).sort();
};

const EXPECTED: Record<TLiveObjectionRule, (row: TObjectionRow) => boolean> = {
  member: (row) => row.matched,
  address: (row) => !row.matched && row.source === "direct",
  notice: () => true,
};

describe("the live-objection rules", () => {
  for (const rule of Object.keys(LIVE_OBJECTION_RULES) as TLiveObjectionRule[]) {
    it(`selects the same objections by SQL and by Prisma under the ${rule} rule, and only the live ones the rule names`, async () => {
      for (const name of Object.keys(CASES) as TCase[]) {
        const member = members.get(name)!;
        const [sql, prisma] = await Promise.all([bySql({ rule, member }), byPrisma({ rule, member })]);
        expect({ name, ids: sql }).toEqual({ name, ids: prisma });
        expect({ name, ids: sql }).toEqual({ name, ids: live(name, EXPECTED[rule]) });
      }
    });
  }

  it("finds by isLiveSql exactly the live objections, whoever's, pending rejections included", async () => {
    const all = [...objectionsOf.values()].flat();
    const { rows } = await pgPool().query<{ id: string }>(`SELECT o.id FROM "Objection" o WHERE o.id = ANY($1::uuid[]) AND ${isLiveSql("o")}`, [all]);
    const expected = (Object.keys(CASES) as TCase[]).flatMap((name) => live(name, () => true));
    expect(rows.map((row) => row.id).sort()).toEqual(expected.sort());
  });

  it("tells a member no more exactly while the notice rule finds one of their objections", async () => {
    const ids = [...members.values()].map((member) => member.id);
    const { rows } = await pgPool().query<{ id: string }>(`SELECT m.id FROM "Member" m WHERE m.id = ANY($1::uuid[]) AND ${noLiveObjectionSql("m")}`, [ids]);
    const mayBeTold = new Set(rows.map((row) => row.id));
    for (const [name, member] of members) {
      const objected = (await byPrisma({ rule: "notice", member })).length > 0;
      expect({ name, mayBeTold: mayBeTold.has(member.id) }).toEqual({ name, mayBeTold: !objected });
    }
    expect([...members].filter(([, member]) => mayBeTold.has(member.id)).map(([name]) => name).sort()).toEqual(["matchedRejected", "matchedWithdrawn", "none", "unmatchedRejected", "unmatchedWithdrawn"]);
  });
});
