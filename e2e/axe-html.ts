import { readFileSync } from "node:fs";

import type { AxeResults, RunOptions } from "axe-core";
import { JSDOM } from "jsdom";

import { WCAG_22_AA } from "./axe";

// axe-core over the server-rendered HTML in jsdom: every WCAG 2.2 AA rule that reads the
// document (names, roles, labels, lang, title, headings, ARIA, landmarks, duplicate ids) in a
// few milliseconds a page, with no browser. jsdom lays nothing out and loads no stylesheet, so
// the rules that measure what the eye sees are left to the browser tests (e2e/accessibility.spec.ts
// runs them in English and German): colour contrast, target size, scrolling regions, and links
// told apart from text by colour.
const LAYOUT_RULES = ["color-contrast", "color-contrast-enhanced", "link-in-text-block", "target-size", "scrollable-region-focusable"];

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

type TAxeWindow = Window & { eval: (source: string) => unknown; axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> } };

export type TServedPage = { document: Document; violations: string[]; close: () => void };

/** Parses a page as the server sent it (no script runs) and runs axe's WCAG 2.2 AA rules that need no layout. */
export const axeServedHtml = async ({ html, url }: { html: string; url: string }): Promise<TServedPage> => {
  const dom = new JSDOM(html, { url, runScripts: "outside-only" });
  const window = dom.window as unknown as TAxeWindow;
  window.eval(axeSource);
  const results = await window.axe.run(window.document, {
    runOnly: { type: "tag", values: WCAG_22_AA },
    rules: Object.fromEntries(LAYOUT_RULES.map((rule) => [rule, { enabled: false }])),
    resultTypes: ["violations"],
  });
  const violations = results.violations.map(({ id, nodes }) => `${id}: ${nodes.map((node) => node.target.join(" ")).join(", ")}`);
  return { document: window.document, violations, close: () => dom.window.close() };
};
