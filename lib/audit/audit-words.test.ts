import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { SYSTEM_JOB_WORDS, systemActorWords } from "@/lib/audit/actor-words";
import { auditDetailWords, auditTargetWords } from "@/lib/audit/audit-words";
import { QUEUES } from "@/lib/jobs";
import { objectionReference } from "@/lib/objections/objection-reference";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}/i;

describe("the audit log's words", () => {
  it("names every system job in words, never by its queue's name", () => {
    for (const { name } of Object.values(QUEUES)) {
      expect(SYSTEM_JOB_WORDS[name], name).toBeDefined();
      expect(systemActorWords(name)).not.toContain(name);
    }
    expect(systemActorWords("objection-receipt")).toBe("Automatic receipt email");
    expect(systemActorWords("bounce-listener")).toBe("Bounce handling");
    expect(systemActorWords("some-new-job")).toBe("The system");
    expect(systemActorWords(null)).toBe("The system");
  });

  it("names an objection by its reference, and an export only as a run when the run exists", () => {
    const id = randomUUID();
    expect(auditTargetWords({ type: "objection", id, name: null, exists: false })).toEqual({ label: `Objection ${objectionReference(id)}`, href: `/admin/objections/${id}` });
    expect(auditTargetWords({ type: "export", id, name: null, exists: true })).toEqual({ label: "Export run", href: `/admin/exports/${id}` });
    expect(auditTargetWords({ type: "export", id, name: null, exists: false })).toEqual({ label: "An export, queued", href: null });
    expect(auditTargetWords({ type: null, id: null, name: null, exists: false })).toBeNull();
    for (const type of ["objection", "member", "campaign", "admin", "export"] as const) expect(auditTargetWords({ type, id, name: null, exists: false })?.label).not.toMatch(UUID);
  });

  it("reads details as words: no ids, a list of ids as its count, filters as pairs", () => {
    expect(auditDetailWords({ memberId: randomUUID(), requestedBy: randomUUID() })).toBe("");
    expect(auditDetailWords({ filters: { country: "DE", status: "effective" }, found: 2, objectionIds: [randomUUID(), randomUUID()] })).toBe("filters: country=DE, status=effective; found: 2; objection ids: 2");
    expect(auditDetailWords({ rows: 10, matchedByEmail: 3, countries: [] })).toBe("rows: 10; matched by email: 3; countries: all");
    expect(auditDetailWords(null)).toBe("");
  });
});
