import { formatCount, formatUtc } from "@/components/admin/dashboard/format";
import { Alert } from "@/components/ui/alert";
import type { TLinkRequestCeiling } from "@/lib/objections/link-request-limits";

/** Shown while the /object form refuses everyone: people with no link cannot ask for one until the hour resets. */
export const LinkRequestCeilingAlert = ({ ceiling }: { ceiling: TLinkRequestCeiling }) => (
  <Alert tone="danger" role="status" title="The form for people without a link is refusing requests">
    <p>
      {formatCount(ceiling.requests)} link requests this hour against a ceiling of {formatCount(ceiling.limit)} (LINK_REQUESTS_PER_HOUR): {formatCount(ceiling.refused)} refused so far.
      Until <time dateTime={ceiling.resetsAt.toISOString()}>{formatUtc(ceiling.resetsAt)}</time>, every new request gets “too many requests”.
    </p>
    <p className="mt-1">Someone may be asking for links for many addresses. If these are real people, raise LINK_REQUESTS_PER_HOUR (see docs/operations.md).</p>
  </Alert>
);
