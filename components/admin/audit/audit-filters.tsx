import { Filter } from "lucide-react";
import Link from "next/link";

import { AUDIT_ACTION_LABELS } from "@/components/admin/audit/audit-labels";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import type { TAuditFilters } from "@/lib/audit/schema";

/** A GET form: filters live in the URL, work without JavaScript, and can be shared. */
export const AuditFilters = ({ filters, admins }: { filters: TAuditFilters; admins: { id: string; email: string }[] }) => (
  <form method="get" aria-label="Filter the audit log" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
    <div>
      <Label htmlFor="audit-admin">Admin</Label>
      <NativeSelect id="audit-admin" name="admin" defaultValue={filters.admin ?? ""}>
        <option value="">Everyone</option>
        {admins.map((admin) => (
          <option key={admin.id} value={admin.id}>
            {admin.email}
          </option>
        ))}
      </NativeSelect>
    </div>
    <div>
      <Label htmlFor="audit-action">Action</Label>
      <NativeSelect id="audit-action" name="action" defaultValue={filters.action ?? ""}>
        <option value="">Every action</option>
        {Object.entries(AUDIT_ACTION_LABELS).map(([action, label]) => (
          <option key={action} value={action}>
            {label}
          </option>
        ))}
      </NativeSelect>
    </div>
    <div>
      <Label htmlFor="audit-from">From (UTC)</Label>
      <Input id="audit-from" name="from" type="date" defaultValue={filters.from ?? ""} />
    </div>
    <div>
      <Label htmlFor="audit-to">To (UTC)</Label>
      <Input id="audit-to" name="to" type="date" defaultValue={filters.to ?? ""} />
    </div>
    <div className="flex gap-2">
      <Button type="submit" className="flex-1">
        <Filter className="h-4 w-4" aria-hidden />
        Filter
      </Button>
      <Button asChild variant="secondary">
        <Link href="/admin/audit">Clear</Link>
      </Button>
    </div>
  </form>
);
