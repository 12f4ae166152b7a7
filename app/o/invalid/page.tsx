import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

import { InvalidLink } from "@/components/invalid-link";

export const generateMetadata = async (): Promise<Metadata> => ({ title: (await getTranslations("invalidLink"))("title"), robots: { index: false, follow: false } });

// What proxy.ts serves, as a 404, for a personal link that cannot be used (see lib/links/serve-invalid-link-page.ts).
export default InvalidLink;
