import type { Metadata } from "next";
import Link from "next/link";

import { ImportPriorForm } from "@/components/admin/objections/import-prior-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { PRIOR_IMPORT_MAX_BYTES } from "@/lib/objections/import-prior-objections-types";

export const metadata: Metadata = { title: "Import earlier objections" };

const ImportPriorObjectionsPage = async () => {
  await requireAdminPage("admin");
  return (
    <>
      <PageHeader
        title="Import earlier objections"
        description={
          <>
            Objections made before this app existed keep their original date, count as live at once (no campaign notifies them again), and go into the next
            export. <Link href="/admin/objections" className="text-blue-800 underline">Back to objections</Link>
          </>
        }
      />
      <ImportPriorForm maxBytes={PRIOR_IMPORT_MAX_BYTES} />
    </>
  );
};

export default ImportPriorObjectionsPage;
