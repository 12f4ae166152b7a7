import { serveBrandLogo } from "@/lib/branding/serve-brand-logo";

export const GET = serveBrandLogo;
