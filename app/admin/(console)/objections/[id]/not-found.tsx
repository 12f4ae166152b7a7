import { SearchX } from "lucide-react";
import Link from "next/link";

import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

const ObjectionNotFound = () => (
  <>
    <PageHeader title="Objection not found" />
    <EmptyState icon={SearchX} title="There is no objection with this id">
      <Link href="/admin/objections" className="text-blue-800 underline">
        Back to all objections
      </Link>
    </EmptyState>
  </>
);

export default ObjectionNotFound;
