import { describe, expect, it } from "vitest";

import { AUDIT_ACTION_LABELS } from "@/components/admin/audit/audit-labels";
import { CHANNEL_LABELS as CAMPAIGN_CHANNEL_LABELS } from "@/components/admin/campaigns/campaign-labels";
import { BOUNCE_LABELS, CHANNEL_LABELS, NOTICE_STATUS_LABELS, SUPPRESSION_REASON_LABELS } from "@/components/admin/notices/notice-labels";
import { SOURCE_LABELS, STATUS_LABELS } from "@/components/admin/objections/objection-labels";
import { EXPORT_STATUS } from "@/components/admin/exports/export-status";
import { CAMPAIGN_STATUS_LABELS, EXPORT_KIND_LABELS } from "@/components/admin/status-labels";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { CampaignStatus, ExportRunStatus } from "@/lib/generated/prisma/enums";
import { EVENT_LABELS } from "@/lib/objections/admin/timeline-words";

const LABEL_SETS: Record<string, Record<string, string>> = {
  STATUS_LABELS,
  SOURCE_LABELS,
  CHANNEL_LABELS,
  CAMPAIGN_CHANNEL_LABELS,
  CAMPAIGN_STATUS_LABELS,
  EXPORT_STATUS: Object.fromEntries(Object.entries(EXPORT_STATUS).map(([status, { label }]) => [status, label])),
  EXPORT_KIND_LABELS,
  NOTICE_STATUS_LABELS,
  BOUNCE_LABELS,
  SUPPRESSION_REASON_LABELS,
  AUDIT_ACTION_LABELS,
  ROLE_LABELS,
  EVENT_LABELS,
};

/** Words that keep their capital inside a sentence. */
const PROPER = new Set(["Global", "Privacy", "Control", "EU/EEA"]);

/** Sentence case: a capital first letter, then lower case but for names. */
const sentenceCaseProblem = (label: string) => {
  const [first, ...rest] = label.split(" ").map((word) => word.replace(/^[^\p{L}]+/u, ""));
  if (!first || first[0] !== first[0]!.toUpperCase()) return "starts in lower case";
  const capitalised = rest.filter((word) => word && word[0] !== word[0]!.toLowerCase() && !PROPER.has(word));
  return capitalised.length > 0 ? `capitalises ${capitalised.join(", ")}` : null;
};

describe("status words in the console", () => {
  it("are written one way everywhere: sentence case", () => {
    const problems = Object.entries(LABEL_SETS).flatMap(([set, labels]) => Object.entries(labels).flatMap(([key, label]) => {
      const problem = sentenceCaseProblem(label);
      return problem ? [`${set}.${key} "${label}" ${problem}`] : [];
    }));
    expect(problems).toEqual([]);
  });

  it("name every campaign and export run status, so no badge shows a raw value", () => {
    expect(Object.keys(CAMPAIGN_STATUS_LABELS).sort()).toEqual(Object.values(CampaignStatus).sort());
    expect(Object.keys(EXPORT_STATUS).sort()).toEqual(Object.values(ExportRunStatus).sort());
    expect(CAMPAIGN_STATUS_LABELS.running).toBe("Running");
    expect(STATUS_LABELS.effective).toBe("Effective");
  });

  it("catches a label in the wrong case", () => {
    expect(sentenceCaseProblem("effective")).toBe("starts in lower case");
    expect(sentenceCaseProblem("Rejection Pending")).toBe("capitalises Pending");
    expect(sentenceCaseProblem("Rejection pending")).toBeNull();
  });
});
