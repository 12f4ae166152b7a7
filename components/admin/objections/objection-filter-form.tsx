import { Search } from "lucide-react";
import Link from "next/link";

import { SOURCE_LABELS, STATUS_LABELS } from "@/components/admin/objections/objection-labels";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { ObjectionSource, ObjectionStatus } from "@/lib/generated/prisma/enums";
import { eeaCountryOptions } from "@/lib/members/country-options";
import type { TObjectionFilters, TQueueStatus } from "@/lib/objections/objection-filters";

/** The two lists of waiting work: live objections a reviewer still has to act on. */
const WAITING_STATUS_LABELS = { rejection_pending: "Rejection pending", unmatched: "Unmatched" } as const satisfies Partial<Record<TQueueStatus, string>>;

const Field = ({ id, label, children }: { id: string; label: string; children: React.ReactNode }) => (
  <div className="min-w-0">
    <Label htmlFor={id}>{label}</Label>
    {children}
  </div>
);

/**
 * The queue's filters. The form posts to /admin/objections/search, which answers with the queue's URL
 * and the search sealed: an address typed here never appears in a URL. Works without JavaScript.
 */
export const ObjectionFilterForm = ({ filters }: { filters: TObjectionFilters }) => (
  <form method="post" action="/admin/objections/search" aria-label="Filter objections" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <div className="sm:col-span-2">
        <Field id="filter-q" label="Email, external id or reference (exact)">
          <Input id="filter-q" name="q" type="search" autoComplete="off" spellCheck={false} defaultValue={filters.q ?? ""} />
        </Field>
      </div>
      <Field id="filter-status" label="Status">
        <NativeSelect id="filter-status" name="status" defaultValue={filters.status ?? ""}>
          <option value="">Any status</option>
          {Object.values(ObjectionStatus).map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
          <optgroup label="Needs attention">
            {Object.entries(WAITING_STATUS_LABELS).map(([status, label]) => (
              <option key={status} value={status}>
                {label}
              </option>
            ))}
          </optgroup>
        </NativeSelect>
      </Field>
      <Field id="filter-source" label="Source">
        <NativeSelect id="filter-source" name="source" defaultValue={filters.source ?? ""}>
          <option value="">Any source</option>
          {Object.values(ObjectionSource).map((source) => (
            <option key={source} value={source}>
              {SOURCE_LABELS[source]}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Field id="filter-country" label="Country">
        <NativeSelect id="filter-country" name="country" defaultValue={filters.country ?? ""}>
          <option value="">Any country</option>
          {eeaCountryOptions("en").map(({ code, name }) => (
            <option key={code} value={code}>
              {name} ({code})
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Field id="filter-matched" label="Member">
        <NativeSelect id="filter-matched" name="matched" defaultValue={filters.matched ?? ""}>
          <option value="">Matched or not</option>
          <option value="matched">Matched to a member</option>
          <option value="unmatched">Unmatched</option>
        </NativeSelect>
      </Field>
      <Field id="filter-reason" label="Reason">
        <NativeSelect id="filter-reason" name="hasReason" defaultValue={filters.hasReason ?? ""}>
          <option value="">With or without</option>
          <option value="yes">Has a reason</option>
          <option value="no">No reason</option>
        </NativeSelect>
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field id="filter-from" label="From (UTC)">
          <Input id="filter-from" name="from" type="date" defaultValue={filters.from ?? ""} />
        </Field>
        <Field id="filter-to" label="To (UTC)">
          <Input id="filter-to" name="to" type="date" defaultValue={filters.to ?? ""} />
        </Field>
      </div>
    </div>
    <input type="hidden" name="sort" value={filters.sort} />
    <input type="hidden" name="dir" value={filters.dir} />
    <div className="mt-4 flex flex-wrap gap-2">
      <Button type="submit">
        <Search className="h-4 w-4" aria-hidden />
        Apply filters
      </Button>
      <Button asChild variant="secondary">
        <Link href="/admin/objections">Clear</Link>
      </Button>
    </div>
  </form>
);
