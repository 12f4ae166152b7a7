import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

import { InvalidStatusLink } from "@/components/invalid-status-link";

export const generateMetadata = async (): Promise<Metadata> => ({ title: (await getTranslations("invalidLink"))("title"), robots: { index: false, follow: false } });

// What proxy.ts serves, as a 404, for a status link that cannot be used (see lib/links/serve-invalid-link-page.ts).
export default InvalidStatusLink;
