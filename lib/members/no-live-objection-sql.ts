import "server-only";

/**
 * SQL that is true while the member `member` (an alias of "Member") has no live objection: neither
 * on the account nor under its address alone (made without a link, or imported). The one rule for
 * who may still be told: the audience, each email at the moment it is sent, and the in-app notices.
 * Two NOT EXISTS joined by AND, so the planner makes each an anti-join over a whole audience.
 */
export const noLiveObjectionSql = (member: string) => `
  NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o."memberId" = ${member}.id AND o.status = 'effective')
  AND NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o."memberId" IS NULL AND o.email = ${member}.email AND o.status = 'effective')`;
