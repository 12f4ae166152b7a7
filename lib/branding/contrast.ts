import { hex } from "wcag-contrast";

/** WCAG 2.2 AA, for text of normal size. */
export const MIN_TEXT_CONTRAST = 4.5;

/** The page's background (app/globals.css `--bg`), on which links take the brand colour. */
const PAGE_BACKGROUND = "#f9fafb";

/** The lower of the brand colour's two contrasts: white text on it (buttons), and it as text on the page (links). */
export const brandColorContrast = (color: string) => Math.min(hex("#ffffff", color), hex(PAGE_BACKGROUND, color));
