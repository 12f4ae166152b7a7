import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/**
 * Zero axe violations (WCAG 2.2 AA) on what the page shows now, but in `exclude` (a selector). A
 * campaign's email preview is a sandboxed frame that runs no script, so axe cannot be injected into
 * it (it would wait forever): excluded, it is checked as an element of the page (its title), and the
 * email inside it is not a console page.
 */
export const expectNoViolations = async (page: Page, { exclude }: { exclude?: string } = {}) => {
  // Next streams a dynamic page's metadata: the <title> can land just after the page is visible.
  await expect(page).toHaveTitle(/\S/);
  // Our pages hold no frame from another origin, so axe runs in the page as one `axe.run` ("legacy
  // mode"), which takes half the time: the default runs each frame apart and opens a blank page to
  // combine them. A check that excludes a frame (the sandboxed email preview, where nothing can be
  // injected) keeps the default, which does not wait on that frame.
  const builder = new AxeBuilder({ page }).withTags(WCAG_22_AA).setLegacyMode(!exclude);
  const results = await (exclude ? builder.exclude(exclude) : builder).analyze();
  expect(results.violations.map(({ id, nodes }) => `${id}: ${nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
};
