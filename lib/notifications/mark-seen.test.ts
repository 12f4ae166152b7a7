import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { markSeen } from "@/lib/notifications/mark-seen";
import { closePgPool } from "@/lib/pg";
import { createCampaign } from "@/test/factories";

let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
});

afterAll(async () => {
  await pool.end();
  await closePgPool();
  await db().$disconnect();
});

type TNotificationState = { status: string; seenAt: Date | null; clickedAt: Date | null };

/** One member with one notification in the given state; returns the notification's id. */
const notification = async ({ channel, status, clickedAt = null }: { channel: "email" | "in_app"; status: string; clickedAt?: Date | null }) => {
  const externalId = `seen-${randomUUID()}`;
  const campaign = await createCampaign({ db: pool, channels: [channel], status: "done" });
  const { rows } = await pool.query<{ id: string }>(
    `WITH m AS (INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'DE', '1980-01-01') RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "clickedAt", "sentAt")
     SELECT m.id, $5::uuid, $2::"NotificationChannel", $3::"NotificationStatus", $4::timestamptz, CASE WHEN $3 = 'queued' THEN NULL ELSE now() END FROM m
     RETURNING id`,
    [externalId, channel, status, clickedAt, campaign.id],
  );
  return rows[0]!.id;
};

const stateOf = async (id: string) => (await pool.query<TNotificationState>(`SELECT status, "seenAt", "clickedAt" FROM "Notification" WHERE id = $1`, [id])).rows[0]!;

describe("marking a notice seen", () => {
  it("turns a shown notice seen once: a second call keeps the first time", async () => {
    const id = await notification({ channel: "in_app", status: "sent" });
    expect(await markSeen({ actor: PLATFORM_ACTOR, notificationId: id })).toBe(true);
    const first = await stateOf(id);
    expect(first.status).toBe("seen");
    expect(first.seenAt).toBeInstanceOf(Date);
    expect(await markSeen({ actor: PLATFORM_ACTOR, notificationId: id })).toBe(true);
    expect((await stateOf(id)).seenAt).toEqual(first.seenAt);
  });

  it("keeps a clicked notice clicked, and records when it was seen", async () => {
    const id = await notification({ channel: "in_app", status: "clicked", clickedAt: new Date() });
    expect(await markSeen({ actor: PLATFORM_ACTOR, notificationId: id })).toBe(true);
    const state = await stateOf(id);
    expect(state.status).toBe("clicked");
    expect(state.seenAt).toBeInstanceOf(Date);
  });

  it("leaves an email that is still queued queued, so it is still sent", async () => {
    const id = await notification({ channel: "email", status: "queued" });
    expect(await markSeen({ actor: PLATFORM_ACTOR, notificationId: id })).toBe(true);
    expect(await stateOf(id)).toMatchObject({ status: "queued", seenAt: null });
  });

  it("does not undo a click that commits while it runs", async () => {
    const id = await notification({ channel: "in_app", status: "sent" });
    // The click holds the row, uncommitted, while the notice is marked seen.
    const click = await pool.connect();
    try {
      await click.query("BEGIN");
      await click.query(`UPDATE "Notification" SET status = 'clicked', "clickedAt" = now() WHERE id = $1`, [id]);
      const seen = markSeen({ actor: PLATFORM_ACTOR, notificationId: id });
      // Wait until markSeen waits for the click's row lock (or has finished without it).
      for (let tries = 0; tries < 100; tries++) {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%Notification%'`,
        );
        if (rows[0]!.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await click.query("COMMIT");
      expect(await seen).toBe(true);
    } finally {
      click.release();
    }
    const state = await stateOf(id);
    expect(state.status).toBe("clicked");
    expect(state.seenAt).toBeInstanceOf(Date);
  });

  it("answers false for an unknown notification", async () => {
    expect(await markSeen({ actor: PLATFORM_ACTOR, notificationId: randomUUID() })).toBe(false);
  });
});
