import "./admin.css";

import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin" }, robots: { index: false, follow: false } };

// The console is in English whatever the visitor's language; `lang` says so to screen readers.
const AdminLayout = ({ children }: { children: ReactNode }) => (
  <div lang="en" className="min-h-screen">
    {children}
  </div>
);

export default AdminLayout;
