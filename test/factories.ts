import { randomUUID } from "node:crypto";

import type { TAdminActor, TAdminRole } from "@/lib/auth/roles";
import type { CampaignStatus, NotificationChannel, NotificationStatus } from "@/lib/generated/prisma/enums";

// Rows for tests, shared by Vitest (a `pg` pool on the file's DATABASE_URL, or `pgPool()`) and
// Playwright (its pool on E2E_DATABASE_URL). Plain SQL through a `{ query }` executor, so neither
// tier needs a Prisma client for its fixtures.

/** What the factories need of a `pg` Pool or client. */
export type TQueryable = { query: <TRow extends object>(sql: string, values?: unknown[]) => Promise<{ rows: TRow[] }> };

/** A timestamp, or "now": PostgreSQL reads the string 'now' as the transaction's now(), as the SQL the factories replace did. */
export type TWhen = Date | "now";

/** An admin row, and the admin actor (lib/auth/actor.ts) a command takes for it. */
export type TTestAdmin = TAdminActor & { email: string };

/** A new admin of `role`, with a unique address (`<role>-<uuid>@<domain>`). */
export const createAdmin = async ({ db, role, domain = "objection.test", verified = false }: { db: TQueryable; role: TAdminRole; domain?: string; verified?: boolean }): Promise<TTestAdmin> => {
  const email = `${role}-${randomUUID()}@${domain}`;
  const { rows } = await db.query<{ id: string }>(`INSERT INTO "AdminUser" (email, role, "emailVerified") VALUES ($1, $2, $3) RETURNING id`, [email, role, verified ? "now" : null]);
  return { kind: "admin", id: rows[0]!.id, email, role };
};

export type TTestMemberRow = { id: string; externalId: string; email: string; country: string; locale: string | null };

/** A new member; by default with a unique external id and an address made from it at example.eu. */
export const createMember = async ({
  db,
  id = randomUUID(),
  externalId = `member-${randomUUID()}`,
  email = `${externalId}@example.eu`,
  country = "IE",
  birthDate = "1990-01-01",
  locale = "en",
}: {
  db: TQueryable;
  id?: string;
  externalId?: string;
  email?: string;
  country?: string;
  birthDate?: string;
  locale?: string | null;
}): Promise<TTestMemberRow> => {
  await db.query(`INSERT INTO "Member" (id, "externalId", email, country, "birthDate", locale) VALUES ($1, $2, $3, $4, $5, $6)`, [id, externalId, email, country, birthDate, locale]);
  return { id, externalId, email, country, locale };
};

/** A notification of a member (by default an email one already sent, as a personal link names), in a campaign of its own unless given one. */
export const createNotification = async ({
  db,
  memberId,
  campaignId,
  channel = "email",
  status = "sent",
  sentAt = status === "sent" ? "now" : null,
}: {
  db: TQueryable;
  memberId: string;
  campaignId?: string;
  channel?: NotificationChannel;
  status?: NotificationStatus;
  sentAt?: TWhen | null;
}) => {
  campaignId ??= (await createCampaign({ db, channels: [channel], status: "done" })).id;
  const { rows } = await db.query<{ id: string }>(`INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
    memberId,
    campaignId,
    channel,
    status,
    sentAt,
  ]);
  return { id: rows[0]!.id, campaignId };
};

export type TTestCampaign = {
  name?: string;
  channels?: NotificationChannel[];
  countries?: string[];
  status?: CampaignStatus;
  total?: number;
  launchedAt?: TWhen | null;
  audienceAt?: TWhen | null;
  completedAt?: TWhen | null;
  failedAt?: TWhen | null;
  failureReason?: string | null;
  notReachedById?: string | null;
};

/** A campaign row as given: no audience, no notifications, no jobs (launching is the app's work, not a fixture's). */
export const createCampaign = async ({
  db,
  name = `test ${randomUUID()}`,
  channels = ["email"],
  countries = [],
  status = "draft",
  total = 0,
  launchedAt = null,
  audienceAt = null,
  completedAt = null,
  failedAt = null,
  failureReason = null,
  notReachedById = null,
}: TTestCampaign & { db: TQueryable }) => {
  const { rows } = await db.query<{ id: string; completedAt: Date | null }>(
    `INSERT INTO "Campaign" (name, channels, countries, status, total, "launchedAt", "audienceAt", "completedAt", "failedAt", "failureReason", "notReachedById")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id, "completedAt"`,
    [name, channels, countries, status, total, launchedAt, audienceAt, completedAt, failedAt, failureReason, notReachedById],
  );
  return { id: rows[0]!.id, name, completedAt: rows[0]!.completedAt };
};

/** `count` campaigns already done, one after another: the campaigns a test's sent notices are of (a member has one notice a channel in each); their ids. */
export const createDoneCampaigns = async ({ db, count, channels = ["email"] }: { db: TQueryable; count: number; channels?: NotificationChannel[] }) => {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await createCampaign({ db, channels, status: "done" })).id);
  return ids;
};
