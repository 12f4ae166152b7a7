import "server-only";

import { brand } from "@/lib/branding/brand";
import { escapeHtml } from "@/lib/html/escape-html";

type TSimplePage = {
  locale: string;
  title: string;
  body: string;
  link: { href: string; label: string };
  status: number;
  headers?: Record<string, string>;
};

/**
 * A page a route handler answers itself, when it must carry its own status (429, 503) that a
 * redirect to a page would lose: who runs the site, one heading, one sentence, one way on. No
 * script, nothing to load.
 */
export const simplePageResponse = ({ locale, title, body, link, status, headers = {} }: TSimplePage) => {
  const { name } = brand();
  const html = `<!doctype html><html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · ${escapeHtml(name)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.6;overflow-wrap:anywhere"><header><a href="/" style="color:#111827;font-weight:700;text-decoration:none">${escapeHtml(name)}</a></header><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p><p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p></main></body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers } });
};
