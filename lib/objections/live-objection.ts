import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";
import type { ObjectionSource, ObjectionStatus } from "@/lib/generated/prisma/enums";

/**
 * A live objection: made and neither withdrawn nor rejected. A rejection waiting for its second
 * reviewer leaves the objection live; so does a spam flag.
 */
export const LIVE_STATUS = "effective" as const satisfies ObjectionStatus;

/** SQL true for a live objection, whoever's (what the export holds, a rejection still pending); `objection` is the alias of "Objection" ("" for bare column names). */
export const isLiveSql = (objection: string) => `${objection ? `${objection}.` : ""}status = '${LIVE_STATUS}'`;

// Stand-ins for the subject's own keys in the rules below: the member's id, and its (or the
// address link's) address.
const SUBJECT_MEMBER_ID = { subject: "memberId" } as const;
const SUBJECT_EMAIL = { subject: "email" } as const;

/** One branch of a rule: every column given must match. */
type TBranch = {
  memberId?: typeof SUBJECT_MEMBER_ID | null;
  email?: typeof SUBJECT_EMAIL;
  status: ObjectionStatus;
  source?: ObjectionSource;
};

const LIVE = { status: LIVE_STATUS } as const;

/**
 * Whose live objection, as branches any one of which may match. The SQL and the Prisma `where`
 * below are both generated from this table, so they cannot drift apart.
 *
 * - `member`: the member's own, matched to the account. At most one (the partial unique index
 *   Objection_one_live_per_member), so it is what a submission returns instead of a second one,
 *   what a withdrawal, a match and the platform's in-app setting act on, and what the dashboard
 *   counts as a notified member's objection. An objection under the address alone is not the
 *   account's to withdraw or show: no one has said the two are the same person.
 * - `address`: an address link's, for an address without an account: made through /object
 *   (source `direct`) and matched to no member since. At most one per address (the partial unique
 *   index Objection_one_live_direct_per_unmatched_email).
 * - `notice`: what stops every notice to a member (the audience, each email as it is sent, the
 *   in-app notices): the member's own, or any unmatched one under the member's address (made
 *   without a link, or imported). Telling someone who may have objected costs more than missing them.
 */
export const LIVE_OBJECTION_RULES = {
  member: [{ memberId: SUBJECT_MEMBER_ID, ...LIVE }],
  address: [{ memberId: null, email: SUBJECT_EMAIL, ...LIVE, source: "direct" }],
  notice: [
    { memberId: SUBJECT_MEMBER_ID, ...LIVE },
    { memberId: null, email: SUBJECT_EMAIL, ...LIVE },
  ],
} as const satisfies Record<string, readonly TBranch[]>;

export type TLiveObjectionRule = keyof typeof LIVE_OBJECTION_RULES;

/** The subject's keys a rule needs: SQL expressions for the SQL, values for Prisma. */
type TSubject<TRule extends TLiveObjectionRule> = TRule extends "member" ? { memberId: string } : TRule extends "address" ? { email: string } : { memberId: string; email: string };

const COLUMNS = { memberId: `"memberId"`, email: "email", status: "status", source: "source" } as const satisfies Record<keyof TBranch, string>;

const branchEntries = (branch: TBranch) => (Object.keys(COLUMNS) as (keyof TBranch)[]).flatMap((column) => (branch[column] === undefined ? [] : [[column, branch[column]] as const]));

const isSubjectKey = (value: TBranch[keyof TBranch]): value is typeof SUBJECT_MEMBER_ID | typeof SUBJECT_EMAIL => typeof value === "object" && value !== null;

/** One branch as SQL; `objection` is the alias of "Objection" ("" for bare column names). */
const branchSql = ({ branch, objection, subject }: { branch: TBranch; objection: string; subject: Partial<Record<"memberId" | "email", string>> }) =>
  branchEntries(branch)
    .map(([column, value]) => {
      const name = objection ? `${objection}.${COLUMNS[column]}` : COLUMNS[column];
      if (value === null) return `${name} IS NULL`;
      if (isSubjectKey(value)) return `${name} = ${subject[value.subject]}`;
      return `${name} = '${value}'`;
    })
    .join(" AND ");

/**
 * SQL that is true for the subject's live objections under `rule`; `objection` is the alias of
 * "Objection", the subject's keys are SQL expressions (`m.id`, `$1::uuid`).
 */
export const liveObjectionSql = <TRule extends TLiveObjectionRule>({ rule, objection, ...subject }: { rule: TRule; objection: string } & TSubject<TRule>) => {
  const branches = LIVE_OBJECTION_RULES[rule].map((branch) => branchSql({ branch, objection, subject }));
  return branches.length === 1 ? branches[0]! : `(${branches.map((branch) => `(${branch})`).join(" OR ")})`;
};

/** The Prisma `where` of the subject's live objections under `rule`: the same table as the SQL. */
export const liveObjectionWhere = <TRule extends TLiveObjectionRule>({ rule, ...subject }: { rule: TRule } & TSubject<TRule>): Prisma.ObjectionWhereInput => {
  const keys: Partial<Record<"memberId" | "email", string>> = subject;
  const branches = LIVE_OBJECTION_RULES[rule].map((branch: TBranch) =>
    Object.fromEntries(branchEntries(branch).map(([column, value]) => [column, isSubjectKey(value) ? keys[value.subject] : value])),
  );
  return branches.length === 1 ? branches[0]! : { OR: branches };
};

/**
 * `ON CONFLICT`'s target for a rule of at most one live objection per subject (`member`,
 * `address`): the key columns and the partial unique index's predicate, so PostgreSQL infers that index.
 */
export const liveObjectionConflictSql = (rule: "member" | "address") => {
  const [branch] = LIVE_OBJECTION_RULES[rule];
  const entries = branchEntries(branch);
  const keyColumns = entries.filter(([, value]) => isSubjectKey(value)).map(([column]) => COLUMNS[column]);
  const predicate = branchSql({ branch: Object.fromEntries(entries.filter(([, value]) => !isSubjectKey(value))) as TBranch, objection: "", subject: {} });
  return `(${keyColumns.join(", ")}) WHERE ${predicate}`;
};

/**
 * SQL that is true while the member `member` (an alias of "Member") has no live objection under
 * the `notice` rule: who may still be told. One NOT EXISTS per branch, joined by AND, so the
 * planner makes each an anti-join over a whole audience.
 */
export const noLiveObjectionSql = (member: string) =>
  LIVE_OBJECTION_RULES.notice
    .map((branch) => `NOT EXISTS (SELECT 1 FROM "Objection" o WHERE ${branchSql({ branch, objection: "o", subject: { memberId: `${member}.id`, email: `${member}.email` } })})`)
    .join("\n  AND ");
