import { Filter } from "lucide-react";

import { SUPPRESSION_REASON_LABELS } from "@/components/admin/notices/notice-labels";
import { Button } from "@/components/ui/button";
import { Label, NativeSelect } from "@/components/ui/input";
import { SuppressionReason } from "@/lib/generated/prisma/enums";
import type { TSuppressionFilters } from "@/lib/suppressions/schema";

/** A GET form: a reason is no personal data, and the filter works without JavaScript. */
export const SuppressionFilterForm = ({ filters }: { filters: TSuppressionFilters }) => (
  <form method="get" action="/admin/suppressions" aria-label="Filter suppressions" className="mb-6 flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 sm:flex-row sm:items-end">
    <div className="min-w-0 sm:w-64">
      <Label htmlFor="filter-reason">Reason</Label>
      <NativeSelect id="filter-reason" name="reason" defaultValue={filters.reason ?? ""}>
        <option value="">Every reason</option>
        {Object.values(SuppressionReason).map((reason) => (
          <option key={reason} value={reason}>
            {SUPPRESSION_REASON_LABELS[reason]}
          </option>
        ))}
      </NativeSelect>
    </div>
    <Button type="submit" variant="secondary">
      <Filter className="h-4 w-4" aria-hidden />
      Filter
    </Button>
  </form>
);
