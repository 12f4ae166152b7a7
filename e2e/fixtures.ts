import { randomUUID } from "node:crypto";

import { test as base } from "@playwright/test";
import pg from "pg";

import type { TAdminRole } from "../lib/auth/roles";
import { mintLinkToken } from "../lib/links/token";
import { createAdmin, signInAs, type TTestAdmin } from "./admin-fixtures";

export { expect } from "@playwright/test";

export type TTestMember = { id: string; email: string; notificationId: string; token: string; path: string };

type TEmail = { id: string; subject: string; text: string; html: string; to: { address: string }[] };

type TFixtures = {
  createMember: (options?: { country?: string; locale?: string }) => Promise<TTestMember>;
  linkFor: (options: { notificationId: string; expiresAt?: Date }) => string;
  inbox: { waitForEmailTo: (address: string, options?: { subject?: string }) => Promise<TEmail> };
  /** A new admin of `role`, signed in in this test's browser context. */
  asAdmin: (role: TAdminRole) => Promise<TTestAdmin>;
};

type TWorkerFixtures = { db: pg.Pool };

const DAY_MS = 86_400_000;

export const test = base.extend<TFixtures, TWorkerFixtures>({
  db: [
    async ({}, use) => {
      const pool = new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL, max: 2 });
      await use(pool);
      await pool.end();
    },
    { scope: "worker" },
  ],

  linkFor: async ({}, use) => {
    await use(({ notificationId, expiresAt = new Date(Date.now() + 30 * DAY_MS) }) =>
      mintLinkToken({ subject: { kind: "notification", id: notificationId }, expiresAt, secret: process.env.E2E_LINK_SECRET ?? "" }),
    );
  },

  // Every test gets its own member, with a unique address, and an email notification.
  createMember: async ({ db, linkFor }, use) => {
    await use(async ({ country = "IE", locale = "en" } = {}) => {
      const externalId = `e2e-${randomUUID()}`;
      const email = `${externalId}@example.eu`;
      const member = await db.query<{ id: string }>(
        `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale) VALUES ($1, $2, $3, '1990-01-01', $4) RETURNING id`,
        [externalId, email, country, locale],
      );
      const memberId = member.rows[0]!.id;
      const notification = await db.query<{ id: string }>(
        `INSERT INTO "Notification" ("memberId", channel, status, "sentAt") VALUES ($1, 'email', 'sent', now()) RETURNING id`,
        [memberId],
      );
      const notificationId = notification.rows[0]!.id;
      const token = linkFor({ notificationId });
      return { id: memberId, email, notificationId, token, path: `/o/${token}` };
    });
  },

  asAdmin: async ({ db, context }, use) => {
    await use(async (role) => {
      const admin = await createAdmin(db, role);
      await signInAs({ db, context, admin });
      return admin;
    });
  },

  inbox: async ({}, use) => {
    const waitForEmailTo = async (address: string, { subject }: { subject?: string } = {}) => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const response = await fetch(`${process.env.E2E_INBOX_URL}/api/email`);
        const emails = (await response.json()) as TEmail[];
        const found = emails.find((email) => email.to.some((to) => to.address === address) && (!subject || email.subject === subject));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`No email to ${address} arrived within 30 s`);
    };
    await use({ waitForEmailTo });
  },
});

export const countRows = async (db: pg.Pool, sql: string, values: unknown[]) => Number((await db.query<{ count: string }>(sql, values)).rows[0]?.count);

export const objectionCount = (db: pg.Pool, memberId: string) => countRows(db, `SELECT count(*) FROM "Objection" WHERE "memberId" = $1`, [memberId]);

export const createdEventCount = (db: pg.Pool, memberId: string) =>
  countRows(db, `SELECT count(*) FROM "ObjectionEvent" e JOIN "Objection" o ON o.id = e."objectionId" WHERE o."memberId" = $1 AND e.type = 'created'`, [memberId]);
