import type { ReactNode } from "react";

import { requireAdminPage } from "@/lib/auth/require-admin-page";

// The role is checked here, above the page's loading boundary: a streamed forbidden() would answer 200.
const TeamLayout = async ({ children }: { children: ReactNode }) => {
  await requireAdminPage("admin");
  return children;
};

export default TeamLayout;
