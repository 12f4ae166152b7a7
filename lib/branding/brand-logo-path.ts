/** Where the app serves BRAND_LOGO: one path, whatever the file's name on disk. */
export const BRAND_LOGO_PATH = "/brand/logo";
