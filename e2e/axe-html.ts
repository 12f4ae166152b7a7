import { readFileSync } from "node:fs";

import type { AxeResults, RunOptions } from "axe-core";
import { JSDOM } from "jsdom";

import { WCAG_22_AA } from "./axe";

// axe-core over the server-rendered HTML in jsdom: every WCAG 2.2 AA rule that reads the
// document (names, roles, labels, lang, title, headings, ARIA, landmarks, duplicate ids) in
// about a tenth of a second a page, with no browser. jsdom lays nothing out and loads no
// stylesheet, so the rules that measure what the eye sees are left to the browser tests
// (e2e/accessibility.spec.ts runs them in English and German): colour contrast, target size,
// scrolling regions, and links told apart from text by colour.
const LAYOUT_RULES = ["color-contrast", "color-contrast-enhanced", "link-in-text-block", "target-size", "scrollable-region-focusable"];

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

type TAxeWindow = Window & { DOMParser: typeof DOMParser; eval: (source: string) => unknown; axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> } };

export type TServedPage = { document: Document; violations: string[] };

const RUN_OPTIONS: RunOptions = {
  runOnly: { type: "tag", values: WCAG_22_AA },
  rules: Object.fromEntries(LAYOUT_RULES.map((rule) => [rule, { enabled: false }])),
  resultTypes: ["violations"],
};

// One window per test process, axe loaded once: a fresh window compiles and warms axe up again,
// which took two to four times as long as the check itself (300 to 500 ms a page, not 100 to 250).
let axeDom: JSDOM | null = null;

/**
 * Parses a page as the server sent it (no script runs) into the process's one axe window, in place
 * of the page before, and runs axe's WCAG 2.2 AA rules that need no layout. The document it returns
 * is that window's: read it before the next call.
 */
export const axeServedHtml = async ({ html, url }: { html: string; url: string }): Promise<TServedPage> => {
  if (!axeDom) {
    axeDom = new JSDOM("<!doctype html><html></html>", { url, runScripts: "outside-only" });
    (axeDom.window as unknown as TAxeWindow).eval(axeSource);
  }
  axeDom.reconfigure({ url });
  const window = axeDom.window as unknown as TAxeWindow;
  const served = new window.DOMParser().parseFromString(html, "text/html");
  window.document.replaceChild(window.document.importNode(served.documentElement, true), window.document.documentElement);
  const results = await window.axe.run(window.document, RUN_OPTIONS);
  const violations = results.violations.map(({ id, nodes }) => `${id}: ${nodes.map((node) => node.target.join(" ")).join(", ")}`);
  return { document: window.document, violations };
};
