import "server-only";

import { env } from "@/lib/env";
import { BRAND_LOGO_PATH } from "@/lib/branding/brand-logo-path";

export type TBrand = {
  name: string;
  color: string;
  /** Where pages and emails load the logo from; null when none is set. */
  logoUrl: string | null;
  privacyNoticeUrl: string;
  controllerName: string;
  controllerAddress: string;
  /** The data protection officer: how to show it and where it leads (mailto: or a page). */
  dpo: { label: string; href: string };
};

/** Who runs this deployment and answers for it (GDPR Art. 13), as the deploy-time settings say. */
export const brand = (): TBrand => {
  const { BRAND_NAME, BRAND_COLOR, BRAND_LOGO, PRIVACY_NOTICE_URL, CONTROLLER_NAME, CONTROLLER_ADDRESS, DPO_CONTACT, APP_URL } = env();
  const dpoIsPage = /^https?:\/\//i.test(DPO_CONTACT);
  return {
    name: BRAND_NAME,
    color: BRAND_COLOR,
    logoUrl: BRAND_LOGO ? `${APP_URL}${BRAND_LOGO_PATH}` : null,
    privacyNoticeUrl: PRIVACY_NOTICE_URL,
    controllerName: CONTROLLER_NAME,
    controllerAddress: CONTROLLER_ADDRESS,
    dpo: { label: dpoIsPage ? new URL(DPO_CONTACT).host + new URL(DPO_CONTACT).pathname.replace(/\/$/, "") : DPO_CONTACT, href: dpoIsPage ? DPO_CONTACT : `mailto:${DPO_CONTACT}` },
  };
};
