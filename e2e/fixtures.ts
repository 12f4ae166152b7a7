import { randomUUID } from "node:crypto";

import { test as base } from "@playwright/test";
import pg from "pg";

import type { TAdminRole } from "../lib/auth/roles";
import { mintLinkToken } from "../lib/links/token";
import { createAdmin, createMember as createMemberRow, createNotification, type TTestAdmin } from "../test/factories";
import { type TInboxEmail, waitForEmailTo } from "../test/inbox";
import { signInAs } from "./admin-fixtures";

export { expect } from "@playwright/test";

export type TTestMember = { id: string; email: string; notificationId: string; campaignId: string; token: string; path: string };

type TFixtures = {
  createMember: (options?: { country?: string; locale?: string }) => Promise<TTestMember>;
  linkFor: (options: { notificationId: string; expiresAt?: Date }) => string;
  inbox: { waitForEmailTo: (address: string, options?: { subject?: string }) => Promise<TInboxEmail> };
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

  // Every test gets its own member, with a unique address, and an email notification (of a done campaign of its own).
  createMember: async ({ db, linkFor }, use) => {
    await use(async ({ country = "IE", locale = "en" } = {}) => {
      const member = await createMemberRow({ db, externalId: `e2e-${randomUUID()}`, country, locale });
      const { id: notificationId, campaignId } = await createNotification({ db, memberId: member.id });
      const token = linkFor({ notificationId });
      return { id: member.id, email: member.email, notificationId, campaignId, token, path: `/o/${token}` };
    });
  },

  asAdmin: async ({ db, context }, use) => {
    await use(async (role) => {
      const admin = await createAdmin({ db, role, verified: true });
      await signInAs({ db, context, admin });
      return admin;
    });
  },

  inbox: async ({}, use) => {
    const inboxUrl = process.env.E2E_INBOX_URL ?? "";
    await use({ waitForEmailTo: (address, { subject } = {}) => waitForEmailTo({ inboxUrl, address, subject }) });
  },
});

export const countRows = async (db: pg.Pool, sql: string, values: unknown[]) => Number((await db.query<{ count: string }>(sql, values)).rows[0]?.count);

export const objectionCount = (db: pg.Pool, memberId: string) => countRows(db, `SELECT count(*) FROM "Objection" WHERE "memberId" = $1`, [memberId]);

export const createdEventCount = (db: pg.Pool, memberId: string) =>
  countRows(db, `SELECT count(*) FROM "ObjectionEvent" e JOIN "Objection" o ON o.id = e."objectionId" WHERE o."memberId" = $1 AND e.type = 'created'`, [memberId]);

/** How many audit events of `action` the admin `actorId` has. */
export const auditCount = (db: pg.Pool, actorId: string, action: string) => countRows(db, `SELECT count(*) FROM "AuditEvent" WHERE "actorId" = $1 AND action = $2`, [actorId, action]);
