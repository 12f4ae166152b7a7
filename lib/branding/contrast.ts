import { hex } from "wcag-contrast";

/** WCAG 2.2 AA, for text of normal size. */
export const MIN_TEXT_CONTRAST = 4.5;

/** The contrast of white text on the brand colour, as buttons show it. */
export const brandColorContrast = (color: string) => hex("#ffffff", color);
