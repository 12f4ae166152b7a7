import "server-only";

import { randomUUID } from "node:crypto";

import { MEMBERS_BY_KEY, MEMBERS_WITH_LIVE_OBJECTION, type TPriorMemberRow } from "@/lib/objections/import-prior-objections-sql";
import type { TPriorImportLine, TPriorImportOutcome } from "@/lib/objections/import-prior-objections-types";
import type { TValidPriorRow } from "@/lib/objections/read-prior-objection-rows";
import { pgPool } from "@/lib/pg";

/** An objection to insert, decided from a row of the file. */
export type TPriorInsert = { line: number; outcome: TPriorImportOutcome; id: string; memberId: string | null; email: string; country: string; reason: string | null; effectiveAt: Date };

/**
 * Matches each valid row to a member, by external id, else by email (only if exactly one member
 * has it), and decides it, in file order: an earlier row of the same member wins, and a member
 * with a live objection keeps it. Returns the objections to insert and the rows reported instead.
 */
export const matchPriorObjections = async (valid: TValidPriorRow[]) => {
  const externalIds = [...new Set(valid.flatMap(({ row }) => (row.external_id ? [row.external_id] : [])))];
  const emails = [...new Set(valid.flatMap(({ row }) => (row.email ? [row.email] : [])))];
  const { rows: members } = await pgPool().query<TPriorMemberRow>(MEMBERS_BY_KEY, [externalIds, emails]);
  const byExternalId = new Map(members.map((member) => [member.externalId, member]));
  const byEmail = new Map<string, TPriorMemberRow[]>();
  for (const member of members) byEmail.set(member.email, [...(byEmail.get(member.email) ?? []), member]);
  const { rows: live } = await pgPool().query<{ memberId: string }>(MEMBERS_WITH_LIVE_OBJECTION, [members.map((member) => member.id)]);
  const hasLive = new Set(live.map((row) => row.memberId));

  const inserts: TPriorInsert[] = [];
  const lines: TPriorImportLine[] = [];
  for (const { line, row } of valid) {
    const member = (row.external_id && byExternalId.get(row.external_id)) || undefined;
    const emailMembers = !member && row.email ? (byEmail.get(row.email) ?? []) : [];
    const matched = member ?? (emailMembers.length === 1 ? emailMembers[0] : undefined);
    const base = { line, id: randomUUID(), reason: row.reason ?? null, effectiveAt: row.objected_at };
    if (matched) {
      if (hasLive.has(matched.id)) {
        lines.push({ line, outcome: "skipped_live", message: `member ${matched.externalId} already has a live objection` });
        continue;
      }
      hasLive.add(matched.id);
      inserts.push({ ...base, outcome: member ? "matched_external_id" : "matched_email", memberId: matched.id, email: matched.email, country: matched.country });
      continue;
    }
    if (!row.email) {
      lines.push({ line, outcome: "error", message: "no member has this external_id, and the row has no email to keep the objection under" });
      continue;
    }
    if (!row.country) {
      lines.push({ line, outcome: "error", message: "country is required when no member matches" });
      continue;
    }
    inserts.push({ ...base, outcome: "unmatched", memberId: null, email: row.email, country: row.country });
  }
  return { inserts, lines };
};
