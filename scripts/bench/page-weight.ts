// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/page-weight.ts`
// How much JavaScript the public pages make a browser download on first load, measured on the
// production build as a visitor gets it:
// - builds the app (`next build`, into .next; BENCH_SKIP_BUILD=1 reuses the last build), makes a
//   fresh database on the machine's PostgreSQL (as the e2e run does), starts `next start` on it
//   and seeds one member with a personal link and one with an objection (for /s/<token>);
// - fetches each page's HTML as a browser does (no cookie, so the default language; BENCH_LOCALE=de
//   sets the `locale` cookie), and collects every <script src> and script preload (fetched from the
//   same server) and every inline <script> (React's flight data, the bootstrap). `nomodule` scripts
//   (Next.js's legacy polyfills) are left out: a browser with ES modules neither fetches nor runs them;
// - figures per page: the sum of each script file gzip-compressed at level 9, plus the inline
//   scripts gzip-compressed at level 9 together (they travel inside one gzip-compressed HTML
//   document). The bytes as served (`next start` compresses with gzip itself) are printed beside.
//   1 kB = 1,000 bytes.
// The objection form (/o/<token>, served from proxy.ts's cached template, stripped of Next's scripts
// but for the counter's inline one, which is counted like any inline script) has a budget of 100 kB;
// the run exits 1 when it is over. The other public pages are printed for information, and every
// script of the form is listed, largest first, with the packages recognised in it.
// Not part of `npm test`. BENCH_LOGS=1 shows the app's output; BENCH_DUMP_HTML=<dir> writes each
// page's HTML there. Exit code: 0 within the budget, 1 over it, 2 when the run itself failed.
import { existsSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

import pg from "pg";

import { mintLinkToken } from "@/lib/links/token";
import { freePort } from "@/scripts/lib/free-port";
import { buildApp, startApp, stopAll, type TStopper } from "@/scripts/lib/stack";
import { createCampaign } from "@/test/factories";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === "1";
const LOGS = process.env.BENCH_LOGS === "1";
const LOCALE = process.env.BENCH_LOCALE ?? "";
const DUMP_HTML = process.env.BENCH_DUMP_HTML;
const BUDGET_KB = 100;
const DAY_MS = 86_400_000;

type TScript = { name: string; raw: number; gzip9: number; served: number | null; body: Buffer };
type TPageWeight = { path: string; label: string; files: TScript[]; inline: { count: number; raw: number; gzip9: number }; noModule: string[]; html: { raw: number; served: number | null } };

const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const gzip9 = (body: Buffer | string) => gzipSync(body, { level: 9 }).length;

/**
 * GET with `accept-encoding: gzip`, as a browser asks: the body decoded, and the bytes on the wire
 * (null when the server sent it uncompressed, where the decoded size is what travelled).
 */
const get = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: Buffer; wire: number | null }>((resolve, reject) => {
    const req = httpRequest(url, { headers: { "accept-encoding": "gzip", ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const wire = Buffer.concat(chunks);
        const encoding = response.headers["content-encoding"];
        if (encoding && encoding !== "gzip") return reject(new Error(`${url}: unexpected content-encoding ${encoding}`));
        resolve({ status: response.statusCode ?? 0, body: encoding === "gzip" ? gunzipSync(wire) : wire, wire: encoding === "gzip" ? wire.length : null });
      });
    });
    req.on("error", reject);
    req.end();
  });

const SCRIPT_TAG = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
// Scripts a browser fetches without a <script> tag of their own.
const PRELOAD_TAG = /<link\b[^>]*\brel=["'](?:modulepreload|preload)["'][^>]*>/gi;
const attribute = (attributes: string, name: string) => new RegExp(`\\b${name}(?:=["']([^"']*)["'])?`, "i").exec(attributes);

/**
 * Every script a page's HTML makes a current browser run: files by URL (with scripts only
 * preloaded), inline ones by their text. JSON data blocks are not JavaScript, and `nomodule`
 * scripts (Next.js's legacy polyfills) are neither fetched nor run by a browser that knows modules:
 * both are left out, the latter listed apart.
 */
const scriptsOf = (html: string) => {
  const files: string[] = [];
  const inline: string[] = [];
  const noModule: string[] = [];
  for (const [, attributes, text] of html.matchAll(SCRIPT_TAG)) {
    const type = attribute(attributes!, "type")?.[1]?.toLowerCase();
    if (type && !["module", "text/javascript", "application/javascript"].includes(type)) continue;
    const src = attribute(attributes!, "src")?.[1]?.replaceAll("&amp;", "&");
    if (attribute(attributes!, "nomodule")) noModule.push(src ?? "(inline)");
    else if (src) files.push(src);
    else if (text!.trim() !== "") inline.push(text!);
  }
  for (const [tag] of html.matchAll(PRELOAD_TAG)) {
    if (/\brel=["']modulepreload["']/i.test(tag) || attribute(tag, "as")?.[1] === "script") {
      const href = attribute(tag, "href")?.[1];
      if (href) files.push(href.replaceAll("&amp;", "&"));
    }
  }
  return { files: [...new Set(files)], inline, noModule };
};

const measurePage = async ({ origin, pagePath, label, cookie }: { origin: string; pagePath: string; label: string; cookie?: string }): Promise<TPageWeight> => {
  const page = await get(`${origin}${pagePath}`, cookie ? { cookie } : {});
  if (page.status !== 200) throw new Error(`${label} answered ${page.status}, not 200`);
  const html = page.body.toString("utf8");
  if (DUMP_HTML) writeFileSync(path.join(DUMP_HTML, `${label.split(" ")[0]}.html`), html);
  const scripts = scriptsOf(html);
  const files = await Promise.all(
    scripts.files.map(async (src) => {
      const url = new URL(src, origin);
      const file = await get(url.toString());
      if (file.status !== 200) throw new Error(`${label}: script ${src} answered ${file.status}`);
      return { name: url.pathname, raw: file.body.length, gzip9: gzip9(file.body), served: file.wire ?? file.body.length, body: file.body };
    }),
  );
  const inlineText = scripts.inline.join("\n");
  return {
    path: pagePath,
    label,
    files,
    noModule: scripts.noModule,
    inline: { count: scripts.inline.length, raw: Buffer.byteLength(inlineText), gzip9: scripts.inline.length ? gzip9(inlineText) : 0 },
    html: { raw: page.body.length, served: page.wire },
  };
};

const totals = (page: TPageWeight) => ({
  gzip9: page.files.reduce((sum, file) => sum + file.gzip9, 0) + page.inline.gzip9,
  filesServed: page.files.reduce((sum, file) => sum + (file.served ?? file.raw), 0),
  raw: page.files.reduce((sum, file) => sum + file.raw, 0) + page.inline.raw,
});

// Strings that survive minification and name where code came from: to say which packages a chunk
// carries without source maps (the production build emits none for the browser).
const MARKERS: [name: string, pattern: RegExp][] = [
  ["React", /react\.dev\/errors/],
  ["Next.js router", /__next_f|NEXT_ROUTER|segment-cache|RSC_HEADER|next-router-state-tree/],
  ["zod", /\$ZodType/],
  ["react-hook-form", /criteriaMode|shouldUseNativeValidation/],
  ["next-intl / use-intl", /MISSING_MESSAGE|INSUFFICIENT_PATH/],
  ["intl-messageformat", /MALFORMED_ARGUMENT/],
];

const markersOf = (file: TScript) => {
  const text = file.body.toString("utf8");
  const found = MARKERS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
  return /\/turbopack-[^/]*$/.test(file.name) ? ["Turbopack runtime", ...found] : found;
};

const main = async () => {
  const parts: TStopper[] = [];
  let exitCode = 0;
  try {
    const port = await freePort();
    const database = await createTestDatabase("objection_bench_page_weight");
    parts.push({ name: "database", stop: () => dropTestDatabase(database.name) });
    const origin = `http://127.0.0.1:${port}`;
    const env = { ...TEST_ENV, DATABASE_URL: database.url, APP_URL: origin };

    if (SKIP_BUILD) {
      if (!existsSync(".next/BUILD_ID")) throw new Error("BENCH_SKIP_BUILD=1 but there is no build in .next: run without it, or `npm run build` first");
      console.log("Using the last build in .next (BENCH_SKIP_BUILD=1)");
    } else {
      console.log("Building the app (next build)…");
      await buildApp(env);
    }
    parts.push(await startApp({ env, port, logs: LOGS }));

    // One member with an open personal link (the form), one who has objected (the status page).
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    parts.push({ name: "pool", stop: () => pool.end() });
    const campaign = await createCampaign({ db: pool, channels: ["email"], status: "done" });
    const member = async (externalId: string) => {
      const { rows } = await pool.query<{ id: string }>(
        `WITH m AS (INSERT INTO "Member" ("externalId", email, country, "birthDate", locale) VALUES ($1, $1 || '@example.eu', 'DE', '1990-01-01', 'en') RETURNING id)
         INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT id, $2, 'email', 'sent', now() FROM m RETURNING id`,
        [externalId, campaign.id],
      );
      return mintLinkToken({ subject: { kind: "notification", id: rows[0]!.id }, expiresAt: new Date(Date.now() + 30 * DAY_MS), secret: TEST_ENV.LINK_SECRET });
    };
    const formToken = await member("page-weight-form");
    const objectorToken = await member("page-weight-status");
    // Objecting as the form does without JavaScript; the status link is what the receipt would carry.
    const posted = await fetch(`${origin}/o/submit`, { method: "POST", body: new URLSearchParams({ token: objectorToken, country: "DE", reason: "" }), redirect: "manual" });
    if (posted.status !== 303) throw new Error(`Objecting answered ${posted.status}, not 303`);
    const { rows } = await pool.query<{ id: string }>(`SELECT o.id FROM "Objection" o JOIN "Member" m ON m.id = o."memberId" WHERE m."externalId" = 'page-weight-status'`);
    if (!rows[0]) throw new Error("The objection was not stored");
    const statusToken = mintLinkToken({ subject: { kind: "objection", id: rows[0].id }, expiresAt: new Date(Date.now() + 30 * DAY_MS), secret: TEST_ENV.LINK_SECRET });

    const cookie = LOCALE ? `locale=${LOCALE}` : undefined;
    // The form twice: the first request fills proxy.ts's template cache, the second is served from it, as every click after the first is.
    await measurePage({ origin, pagePath: `/o/${formToken}`, label: "warm-up", cookie });
    const pages = [
      { pagePath: `/o/${formToken}`, label: "objection form /o/<token>" },
      { pagePath: "/", label: "home /" },
      { pagePath: "/object", label: "no link /object" },
      { pagePath: `/s/${statusToken}`, label: "status /s/<token>" },
      { pagePath: "/accessibility", label: "accessibility /accessibility" },
    ];
    const measured: TPageWeight[] = [];
    for (const page of pages) measured.push(await measurePage({ origin, ...page, cookie }));

    console.log(`\nFirst-load JavaScript, production build, language ${LOCALE || "default (no cookie)"}; kB = 1,000 bytes.`);
    console.log("gzip -9: each script file compressed at level 9, plus the inline scripts compressed together.");
    console.log("served: the script files' bytes on the wire from `next start` (its own gzip); inline scripts travel inside the HTML.\n");
    console.log(`${"page".padEnd(32)} ${"files".padStart(5)} ${"inline".padStart(6)} ${"raw kB".padStart(8)} ${"gzip -9 kB".padStart(10)} ${"files served kB".padStart(16)} ${"HTML served kB".padStart(15)}`);
    for (const page of measured) {
      const sum = totals(page);
      console.log(
        `${page.label.padEnd(32)} ${String(page.files.length).padStart(5)} ${String(page.inline.count).padStart(6)} ${kb(sum.raw).padStart(8)} ${kb(sum.gzip9).padStart(10)} ${kb(sum.filesServed).padStart(16)} ${kb(page.html.served ?? page.html.raw).padStart(15)}`,
      );
    }

    const form = measured[0]!;
    const others = measured.slice(1);
    const onEveryPage = (file: TScript) => others.every((page) => page.files.some((other) => other.name === file.name));
    console.log(`\nThe form's scripts, largest first (gzip -9 kB, raw kB, what is recognisably in it):`);
    for (const file of [...form.files].sort((a, b) => b.gzip9 - a.gzip9)) {
      const shared = others.filter((page) => page.files.some((other) => other.name === file.name)).length;
      const where = shared === others.length ? "on every page" : shared === 0 ? "this page only" : `on ${shared} of the other ${others.length} pages`;
      console.log(`  ${kb(file.gzip9).padStart(6)} ${kb(file.raw).padStart(7)}  ${file.name}  [${markersOf(file).join(", ") || "?"}] (${where})`);
    }
    console.log(`  ${kb(form.inline.gzip9).padStart(6)} ${kb(form.inline.raw).padStart(7)}  ${form.inline.count} inline scripts (on a page Next hydrates, its flight data; the form's first load has only the counter's script, lib/links/light-form-page.ts)`);
    const everyPage = form.files.filter(onEveryPage).reduce((sum, file) => sum + file.gzip9, 0);
    console.log(`  = ${kb(everyPage)} kB in scripts every public page loads, ${kb(totals(form).gzip9 - everyPage)} kB the form's own (its other scripts and inline data).`);
    if (form.noModule.length > 0) console.log(`  Not counted: ${form.noModule.join(", ")} (nomodule: only browsers without ES modules fetch it).`);

    const formKb = totals(form).gzip9 / 1000;
    const pass = formKb <= BUDGET_KB;
    console.log(`\nObjection form first-load JS: ${formKb.toFixed(1)} kB gzip -9; budget ${BUDGET_KB} kB: ${pass ? "PASS" : "FAIL"}`);
    if (!pass) exitCode = 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    exitCode = 2;
  } finally {
    await stopAll(parts);
  }
  process.exit(exitCode);
};

void main();
