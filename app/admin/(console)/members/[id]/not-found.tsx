import { SearchX } from "lucide-react";
import Link from "next/link";

import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

const MemberNotFound = () => (
  <>
    <PageHeader title="Member not found" />
    <EmptyState icon={SearchX} title="There is no member with this id">
      <Link href="/admin/members" className="text-blue-800 underline">
        Find a member by external id
      </Link>
    </EmptyState>
  </>
);

export default MemberNotFound;
