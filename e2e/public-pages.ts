import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import type { Page } from "@playwright/test";
import type pg from "pg";

import en from "../messages/en.json";
import { mintLinkToken } from "../lib/links/token";
import { expect, type TTestMember } from "./fixtures";

// The public pages and the ways to reach them, shared by the accessibility specs.

/** Every language the app speaks: a file in messages/ is a language (lib/i18n/locales.ts), read now, not listed here. */
export const LOCALES = readdirSync(path.join(__dirname, "../messages"))
  .filter((file) => /^[a-z]{2,3}(-[A-Z]{2})?\.json$/.test(file))
  .map((file) => file.replace(/\.json$/, ""))
  .sort();

export const messagesOf = (locale: string) => JSON.parse(readFileSync(path.join(__dirname, `../messages/${locale}.json`), "utf8")) as typeof en;

/** The language cookie the language switcher sets (lib/i18n/resolve-locale.ts LOCALE_COOKIE). */
export const useLocale = (page: Page, { locale, baseURL }: { locale: string; baseURL: string }) => page.context().addCookies([{ name: "locale", value: locale, url: baseURL }]);

const DAY_MS = 86_400_000;

/** The status page of the member's objection, as the receipt links it: a token naming the objection. */
export const statusPathOf = async (db: pg.Pool, member: TTestMember) => {
  const objection = await db.query<{ id: string }>(`SELECT id FROM "Objection" WHERE "memberId" = $1`, [member.id]);
  const token = mintLinkToken({
    subject: { kind: "objection", id: objection.rows[0]!.id },
    expiresAt: new Date(Date.now() + 30 * DAY_MS),
    secret: process.env.E2E_LINK_SECRET ?? "",
  });
  return `/s/${token}`;
};

/** Submits the member's form as it is (their country preselected) and waits for the confirmation, in the member's language. */
export const object = async (page: Page, member: TTestMember, messages = en) => {
  await page.goto(member.path);
  await page.getByRole("button", { name: messages.form.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: messages.confirmation.title })).toBeVisible();
};

export type TCreateMember = (options?: { locale?: string }) => Promise<TTestMember>;

/** The public pages anyone can open. */
export const STATIC_PATHS = ["/", "/object", "/object?error=email:email_invalid", "/object/sent", "/accessibility", "/transparency", "/o/not-a-token", "/no-such-page"];

/** A member's pages: the form, the form with errors, the form once objected, and the status page. */
export const memberPaths = async ({ objectAs, createMember, db, locale }: { objectAs: (member: TTestMember) => Promise<void>; createMember: TCreateMember; db: pg.Pool; locale: string }) => {
  const [open, objected] = [await createMember({ locale }), await createMember({ locale })];
  await objectAs(objected);
  return [open.path, `${open.path}?error=country:country_required&error=reason:reason_too_long`, objected.path, await statusPathOf(db, objected)];
};

export const publicPaths = async (options: Parameters<typeof memberPaths>[0]) => [...STATIC_PATHS, ...(await memberPaths(options))];
