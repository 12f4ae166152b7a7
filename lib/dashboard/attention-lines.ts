// The dashboard's "Needs attention" list, as words and links: pure, so the wording is tested
// without a page. The counts come from lib/dashboard/needs-attention.ts, the export's health from
// lib/dashboard/export-warning.ts.
import type { TExportWarning } from "@/lib/dashboard/export-warning";

/** Counts stop here: past it the dashboard says "100+", and reads no further. */
export const ATTENTION_CAP = 100;

export type TNeedsAttention = {
  rejectionsPending: number;
  unmatched: number;
  /** Campaigns paused or failed; `failed` of them failed. */
  campaigns: { count: number; failed: number };
  /** Recipient domains paused for their refusals (the bounce breaker) in campaigns still sending; `campaignId` when all are in one. */
  domainsPaused: { count: number; campaignId: string | null };
  export: TExportWarning | null;
};

export type TAttentionLine = { key: string; text: string; href: string; tone: "danger" | "warning" };

/** "3", or "100+" past the cap: the count read stops there. */
export const attentionCount = (count: number) => (count > ATTENTION_CAP ? `${ATTENTION_CAP}+` : count.toLocaleString("en"));

const counted = (count: number, one: string, many: string) => `${attentionCount(count)} ${count === 1 ? one : many}`;

/** One line per kind of task that waits, most harmful first; an empty list when nothing does. */
export const attentionLines = (attention: TNeedsAttention): TAttentionLine[] => {
  const lines: TAttentionLine[] = [];
  if (attention.export) lines.push({ key: "export", text: attention.export.message, href: "/admin/exports", tone: attention.export.kind === "failed" ? "danger" : "warning" });
  const { campaigns } = attention;
  if (campaigns.count > 0) {
    const paused = campaigns.count - campaigns.failed;
    const parts = [campaigns.failed > 0 ? `${attentionCount(campaigns.failed)} failed` : null, paused > 0 ? `${attentionCount(paused)} paused` : null].filter(Boolean);
    lines.push({
      key: "campaigns",
      text: `${counted(campaigns.count, "campaign is", "campaigns are")} not sending: ${parts.join(", ")}`,
      href: "/admin/campaigns?status=attention",
      tone: campaigns.failed > 0 ? "danger" : "warning",
    });
  }
  const { domainsPaused } = attention;
  if (domainsPaused.count > 0) {
    lines.push({
      key: "domains",
      text: `${counted(domainsPaused.count, "recipient domain is", "recipient domains are")} paused after refusing a campaign's emails`,
      href: domainsPaused.campaignId ? `/admin/campaigns/${domainsPaused.campaignId}` : "/admin/campaigns?status=domains_paused",
      tone: "warning",
    });
  }
  if (attention.rejectionsPending > 0) {
    lines.push({
      key: "rejections",
      text: `${counted(attention.rejectionsPending, "rejection waits", "rejections wait")} for a second reviewer`,
      href: "/admin/objections?status=rejection_pending",
      tone: "warning",
    });
  }
  if (attention.unmatched > 0) {
    lines.push({
      key: "unmatched",
      text: `${counted(attention.unmatched, "objection is", "objections are")} not matched to an account`,
      href: "/admin/objections?status=unmatched",
      tone: "warning",
    });
  }
  return lines;
};
