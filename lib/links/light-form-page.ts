import type { TLinkPageTemplate } from "@/lib/links/link-page-template";

// A campaign's clicks land on the objection form, and the form works as a plain HTML post (it
// posts to /o/submit and the page after it is rendered by Next). React and Next's runtime would be
// ~200 kB of JavaScript to hydrate a page that needs none: the cached template drops them and
// keeps one small nonced script for the reason's live counter.
//
// Regexes rather than an HTML parser: the input is Next's own output for our own page, captured
// once per language and country, never markup from outside; in it `</script` never occurs inside
// a script (React escapes it in the flight data).

/** What the counter's data attribute puts where the number goes (components/objection-form.tsx). */
export const COUNT_MARK = "{count}";

/** Stands for the count while the counter's message is formatted, then gives way to COUNT_MARK: found nowhere else in it. */
export const COUNT_STAND_IN = 987_654_321;

/**
 * The counter's message, formatted with COUNT_STAND_IN for the count, with COUNT_MARK where the
 * number went: the script below formats the count as the message does (Intl.NumberFormat in the
 * page's language). Undefined when the number cannot be found, and the counter then stays as loaded.
 */
export const counterTemplate = ({ text, locale }: { text: string; locale: string }) => {
  const standIn = new Intl.NumberFormat(locale).format(COUNT_STAND_IN);
  return text.includes(standIn) ? text.replace(standIn, COUNT_MARK) : undefined;
};

const SCRIPT = /<script\b[^>]*>[\s\S]*?<\/script>/gi;
const LINK = /<link\b[^>]*>/gi;
/** A Suspense boundary streamed in late is revealed by an inline script: without it the content would stay hidden. */
const STREAMED_BOUNDARY = /<template id="B:|<div hidden id="S:/;

const isScriptPreload = (tag: string) => /\brel="modulepreload"/i.test(tag) || (/\brel="preload"/i.test(tag) && /\bas="script"/i.test(tag));

/**
 * The live counter: "{count}" in the counter's message becomes the reason's length in the page's
 * language. Without it (or without JavaScript) the counter shows the length the page was loaded
 * with, and the textarea's maxlength keeps the reason within the limit.
 */
export const ENHANCEMENT_SCRIPT = `(()=>{const r=document.getElementById("reason"),c=document.getElementById("reason-counter"),m=c&&c.dataset.counter;if(!r||!m)return;const f=new Intl.NumberFormat(document.documentElement.lang);r.addEventListener("input",()=>{c.textContent=m.replace(${JSON.stringify(COUNT_MARK)},f.format(r.value.length))})})()`;

/**
 * The template without Next's scripts (every <script>, its page data included, and every script
 * preload), stylesheets kept, and the counter's script with the template's nonce, which
 * lib/links/link-page-template.ts swaps for each response's. A page whose content depends on a
 * script to show (a late Suspense boundary) is returned as it was.
 */
export const lightFormPage = (template: TLinkPageTemplate): TLinkPageTemplate => {
  if (STREAMED_BOUNDARY.test(template.html) || !template.html.includes("</body>")) return template;
  const html = template.html
    .replace(SCRIPT, "")
    .replace(LINK, (tag) => (isScriptPreload(tag) ? "" : tag))
    .replace("</body>", () => `<script nonce="${template.nonce}">${ENHANCEMENT_SCRIPT}</script></body>`);
  return { html, nonce: template.nonce };
};
