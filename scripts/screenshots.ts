// `npm run screenshots`: full-page screenshots of what a member sees, taken from a running demo
// (`npm run demo`), in each language of SCREENSHOT_LOCALES (default "en,de") at 1280 px (desktop)
// and 375 px (phone) wide, written to docs/screenshots/ as <what>-<locale>-<desktop|mobile>.png:
//   notice  the notice email, as the campaign sent it (its HTML from the demo's inbox, rendered in chromium)
//   form    the objection form behind the notice's personal link
//   confirmation  the same link once the form was sent
//   status  the status page behind the link in the receipt email
// and of the admin console (English, 1280 px and a 390 px phone), as console-<what>-<desktop|mobile>.png:
//   dashboard, objections (the queue), objection (this run's objection), campaigns, exports
// signed in as the demo's admin through the sign-in email in the demo's inbox.
// Each run makes its own data, through the platform API as the platform would: it syncs one new
// member per language (country LU, where no demo member lives, in that language), then creates
// and launches an email campaign for LU only. Members earlier runs made have objected, so they
// are not notified again, and the seeded demo members are never touched (their links keep working).
// The page language comes from the `locale` cookie; the emails' from the member's locale.
//
// Environment: APP_URL (http://localhost:3000), INBOX_URL (http://localhost:1080), PLATFORM_API_TOKEN
// (else read from $DEMO_DIR/demo.env, .demo/demo.env by default), ADMIN_EMAILS (the first signs in; else
// demo.env's, else the demo's own admin), SCREENSHOT_LOCALES (en,de),
// SCREENSHOT_DIR (docs/screenshots), CHROMIUM_PATH (else Debian's chromium, as playwright.config.ts).
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { type Browser, chromium, type Page } from "@playwright/test";

import { DEMO_ADMIN_EMAIL } from "@/prisma/demo-members";
import { findEmail, readInbox, type TInboxEmail } from "@/test/inbox";

const APP_URL = (process.env.APP_URL ?? "http://localhost:3000").replace(/\/$/, "");
const INBOX_URL = (process.env.INBOX_URL ?? `http://localhost:${process.env.DEMO_INBOX_PORT ?? 1080}`).replace(/\/$/, "");
const DEMO_DIR = path.resolve(process.env.DEMO_DIR ?? ".demo");
const OUT_DIR = path.resolve(process.env.SCREENSHOT_DIR ?? "docs/screenshots");
const LOCALES = (process.env.SCREENSHOT_LOCALES ?? "en,de").split(",").map((locale) => locale.trim()).filter(Boolean);
// No demo member lives here (prisma/demo-members.ts), so a campaign to it reaches only this run's members.
const COUNTRY = "LU";
// The browser's clock is the members' own (LU), as it would be for them; pages use their country's anyway.
const TIME_ZONE = "Europe/Luxembourg";
const WIDTHS = { desktop: { width: 1280, height: 800 }, mobile: { width: 375, height: 812 } } as const;
const CONSOLE_WIDTHS = { desktop: { width: 1280, height: 800 }, mobile: { width: 390, height: 844 } } as const;
type TWidth = keyof typeof WIDTHS;
const EMAIL_TIMEOUT_MS = 60_000;

// Names that read well in a screenshot (the form shows the address masked: first letter and domain).
const PEOPLE: Record<string, string> = { en: "emma.thill", de: "lena.weber", fr: "claire.muller" };

const HOW_TO_START = `Start the demo first, in another terminal: \`npm run demo\` (it prints the app and inbox URLs and
writes .demo/demo.env), wait for "Objection demo is running.", then run \`npm run screenshots\` again.
Against another demo, set APP_URL, INBOX_URL and PLATFORM_API_TOKEN (or DEMO_DIR).`;

const fail = (message: string): never => {
  throw new Error(message);
};

const reachable = async (url: string) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5000) })).ok;
  } catch {
    return false;
  }
};

/** One of the demo's variables: from the environment, else from the env file the demo writes; undefined if neither has it. */
const demoVariable = (name: string) => {
  if (process.env[name]) return process.env[name];
  const file = path.join(DEMO_DIR, "demo.env");
  if (!existsSync(file)) return undefined;
  return new RegExp(`^${name}='([^']*)'`, "m").exec(readFileSync(file, "utf8"))?.[1] || undefined;
};

/** The demo's platform token: from the environment, else from the env file the demo writes. */
const platformToken = () => demoVariable("PLATFORM_API_TOKEN") ?? fail(`No PLATFORM_API_TOKEN, in the environment or ${path.join(DEMO_DIR, "demo.env")}.\n${HOW_TO_START}`);

const chromiumPath = () => {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync("command -v chromium || command -v chromium-browser", { encoding: "utf8", shell: "/bin/sh" }).trim();
  } catch {
    return fail("No chromium found: install it (apt-get install -y chromium) or set CHROMIUM_PATH.");
  }
};

const api = async ({ token, method, route, body }: { token: string; method: string; route: string; body?: unknown }) => {
  const response = await fetch(`${APP_URL}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) fail(`${method} /api/v1${route} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as unknown) : null;
};

/** Waits for the newest email to `address` that `matches`; the inbox keeps everything the demo sent. */
const waitForEmail = async ({ address, what, matches }: { address: string; what: string; matches: (email: TInboxEmail) => boolean }) => {
  const found = await findEmail({ inboxUrl: INBOX_URL, timeoutMs: EMAIL_TIMEOUT_MS, newest: true, matches: (email) => email.to.some((to) => to.address.toLowerCase() === address) && matches(email) });
  return found ?? fail(`No ${what} reached ${address} in the inbox (${INBOX_URL}) within ${EMAIL_TIMEOUT_MS / 1000} s: is the demo's worker running?`);
};

// Tokens are 72 base64url characters (lib/links/token.ts); the host in an email is the demo's APP_URL, so only the path is taken.
const linkIn = (email: TInboxEmail, prefix: "o" | "s") => new RegExp(`/${prefix}/([A-Za-z0-9_-]{72})(?![A-Za-z0-9_-])`).exec(`${email.text ?? ""}\n${email.html ?? ""}`)?.[1];

const written: string[] = [];

const shoot = async (page: Page, name: string) => {
  // Web fonts and images in place before the picture.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const file = path.join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled", caret: "hide" });
  written.push(file);
};

/** A page per width, each in its own context with the language cookie, as a new visitor on that screen. */
const openPages = async ({ browser, locale }: { browser: Browser; locale: string }) => {
  const pages = {} as Record<TWidth, Page>;
  for (const [width, viewport] of Object.entries(WIDTHS) as [TWidth, (typeof WIDTHS)[TWidth]][]) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale, timezoneId: TIME_ZONE, colorScheme: "light", reducedMotion: "reduce" });
    await context.addCookies([{ name: "locale", value: locale, url: APP_URL }]);
    pages[width] = await context.newPage();
  }
  return pages;
};

const shootBoth = async (pages: Record<TWidth, Page>, name: string, prepare: (page: Page) => Promise<void>) => {
  for (const width of Object.keys(WIDTHS) as TWidth[]) {
    await prepare(pages[width]);
    await shoot(pages[width], `${name}-${width}`);
  }
};

const goto = async (page: Page, url: string) => {
  const response = await page.goto(url, { waitUntil: "load" });
  if (response?.status() !== 200) fail(`${url.replace(/\/[os]\/[A-Za-z0-9_-]{72}/, "/…/<token>")} answered ${response?.status()}, not 200`);
  await page.waitForLoadState("networkidle");
};

const signInLinkIn = (email: TInboxEmail) => /https?:\/\/\S+\/api\/auth\/callback\/nodemailer\S*/.exec(email.text ?? "")?.[0];

/** Signs in to the console as the demo's admin, with the link the demo's inbox catches (a new email: an older link was used). */
const signInToConsole = async (page: Page) => {
  const address = (demoVariable("ADMIN_EMAILS")?.split(",")[0] ?? DEMO_ADMIN_EMAIL).trim().toLowerCase();
  const before = new Set((await readInbox(INBOX_URL)).map((email) => email.id));
  await goto(page, `${APP_URL}/admin/sign-in`);
  await page.getByLabel("Work email").fill(address);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await page.getByRole("heading", { name: "Check your inbox" }).waitFor();
  const email = await waitForEmail({ address, what: "console sign-in email", matches: (candidate) => !before.has(candidate.id) && !!signInLinkIn(candidate) });
  await goto(page, signInLinkIn(email)!);
};

/**
 * The console's main pages on a desktop and a phone, signed in as the demo's admin: the
 * dashboard, the queue, this run's objection (found by its member's external id), campaigns and exports.
 */
const shootConsole = async ({ browser, externalId }: { browser: Browser; externalId: string }) => {
  const options = { deviceScaleFactor: 1, locale: "en", timezoneId: TIME_ZONE, colorScheme: "light", reducedMotion: "reduce" } as const;
  const desktop = await browser.newContext({ ...options, viewport: CONSOLE_WIDTHS.desktop });
  const pages = { desktop: await desktop.newPage() } as Record<TWidth, Page>;
  await signInToConsole(pages.desktop);
  // The phone shares the session: one sign-in email per run.
  const mobile = await browser.newContext({ ...options, viewport: CONSOLE_WIDTHS.mobile, storageState: await desktop.storageState() });
  pages.mobile = await mobile.newPage();

  await goto(pages.desktop, `${APP_URL}/admin/objections?q=${encodeURIComponent(externalId)}`);
  const hrefs = await pages.desktop.locator('main a[href^="/admin/objections/"]').evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  const objection = hrefs.find((href) => /^\/admin\/objections\/[0-9a-f-]{36}$/.test(href)) ?? fail(`The queue shows no objection for ${externalId}`);
  // A fresh demo has no export run yet: start one, as an admin would, so the exports page shows a run and its files.
  await goto(pages.desktop, `${APP_URL}/admin/exports`);
  if (await pages.desktop.getByText("No export runs yet").count()) {
    await pages.desktop.getByRole("button", { name: "Start a run now" }).click();
    await pages.desktop.getByText("The export run finished.").waitFor({ timeout: 60_000 });
  }
  for (const [what, route] of [["dashboard", "/admin"], ["objections", "/admin/objections"], ["objection", objection], ["campaigns", "/admin/campaigns"], ["exports", "/admin/exports"]] as const) {
    await shootBoth(pages, `console-${what}`, (page) => goto(page, `${APP_URL}${route}`));
  }
  await desktop.close();
  await mobile.close();
};

const main = async () => {
  if (!(await reachable(`${APP_URL}/api/health`))) fail(`The demo app does not answer at ${APP_URL}/api/health.\n${HOW_TO_START}`);
  if (!(await reachable(`${INBOX_URL}/api/email`))) fail(`The demo's inbox does not answer at ${INBOX_URL}/api/email.\n${HOW_TO_START}`);
  const token = platformToken();
  mkdirSync(OUT_DIR, { recursive: true });

  // This run's members: new ids and addresses, so nothing from an earlier run is reused.
  const run = Date.now().toString(36);
  const members = LOCALES.map((locale) => ({
    locale,
    externalId: `screenshots-${run}-${locale}`,
    email: `${PEOPLE[locale] ?? `member.${locale}`}.${run}@example.lu`,
  }));
  await api({
    token,
    method: "PUT",
    route: "/members",
    body: { members: members.map(({ externalId, email, locale }) => ({ externalId, email, country: COUNTRY, birthDate: "1990-05-14", locale })) },
  });
  const campaign = (await api({ token, method: "POST", route: "/campaigns", body: { name: `Screenshots ${run}`, channels: ["email"], countries: [COUNTRY] } })) as { id: string };
  await api({ token, method: "POST", route: `/campaigns/${campaign.id}/launch` });
  console.log(`Synced ${members.length} members (${LOCALES.join(", ")}) and launched campaign ${campaign.id} to ${COUNTRY}; waiting for the notices…`);

  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"],
  });
  try {
    for (const member of members) {
      const { locale } = member;
      const address = member.email.toLowerCase();
      const notice = await waitForEmail({ address, what: "notice", matches: (email) => !!linkIn(email, "o") });
      const formToken = linkIn(notice, "o")!;
      const pages = await openPages({ browser, locale });

      // The notice email as a mail client shows its HTML part.
      await shootBoth(pages, `notice-${locale}`, async (page) => {
        await page.setContent(notice.html ?? fail(`The ${locale} notice has no HTML part`), { waitUntil: "load" });
      });

      const formUrl = `${APP_URL}/o/${formToken}`;
      await shootBoth(pages, `form-${locale}`, (page) => goto(page, formUrl));

      // Object with JavaScript, as a member does; the page then shows the confirmation in place of the form.
      const form = pages.desktop.locator('form[action="/o/submit"]');
      await form.locator('button[type="submit"]').click();
      await form.waitFor({ state: "detached", timeout: 15_000 });
      await pages.desktop.waitForLoadState("networkidle");
      await shoot(pages.desktop, `confirmation-${locale}-desktop`);
      await goto(pages.mobile, formUrl);
      if (await pages.mobile.locator('form[action="/o/submit"]').count()) fail(`The ${locale} link still shows the form after objecting`);
      await shoot(pages.mobile, `confirmation-${locale}-mobile`);

      const receipt = await waitForEmail({ address, what: "receipt", matches: (email) => !!linkIn(email, "s") });
      await shootBoth(pages, `status-${locale}`, (page) => goto(page, `${APP_URL}/s/${linkIn(receipt, "s")!}`));

      for (const page of Object.values(pages)) await page.context().close();
    }
    await shootConsole({ browser, externalId: members[0]!.externalId });
  } finally {
    await browser.close();
  }

  console.log(`Wrote ${written.length} screenshots:`);
  for (const file of written) console.log(`  ${path.relative(process.cwd(), file)}  ${Math.round(statSync(file).size / 1024)} KiB`);
};

main().catch((error: unknown) => {
  console.error(`screenshots: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
