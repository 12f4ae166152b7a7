import pg from "pg";

import { mintLinkToken } from "@/lib/links/token";
import { createCampaign, type TQueryable } from "@/test/factories";
import { TEST_ENV } from "@/test/test-env";
import { queryOnOwnConnection } from "@/faults/own-postgres";

// Distinct members posting the objection form as a browser without JavaScript does, at a steady
// rate, each answer recorded: for fault tests that then check the database against the answers.

export type TLoadMember = { id: string; email: string; token: string };

/** `count` members, each with a sent notice and a personal link to it. */
export const createLoadMembers = async ({ url, count, prefix }: { url: string; count: number; prefix: string }): Promise<TLoadMember[]> => {
  const queryable: TQueryable = {
    query: async <TRow extends object>(text: string, values?: unknown[]) => ({ rows: await queryOnOwnConnection<TRow & pg.QueryResultRow>({ url, text, values }) }),
  };
  const campaign = await createCampaign({ db: queryable, channels: ["email"], status: "done" });
  const rows = await queryOnOwnConnection<{ id: string; email: string; notificationId: string }>({
    url,
    text: `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT $1 || i, $1 || i || '@example.eu', 'DE', '1985-01-01', 'en' FROM generate_series(1, $2::int) i
       RETURNING id, email)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT id, $3, 'email', 'sent', now() FROM m
     RETURNING "memberId" AS id, (SELECT email FROM m WHERE m.id = "memberId") AS email, id AS "notificationId"`,
    values: [prefix, count, campaign.id],
  });
  const expiresAt = new Date(Date.now() + 30 * 86_400_000);
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    token: mintLinkToken({ subject: { kind: "notification", id: row.notificationId }, expiresAt, secret: TEST_ENV.LINK_SECRET }),
  }));
};

/** The objection form posted as a browser without JavaScript posts it: a 303 to the link's page with `?stored=1` is the success answer. */
export const postObjectionForm = async ({ base, member }: { base: string; member: TLoadMember }) => {
  const response = await fetch(`${base}/o/submit`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: member.token, country: "DE" }).toString(),
    redirect: "manual",
  });
  const text = await response.text();
  const acknowledged = response.status === 303 && (response.headers.get("location") ?? "").endsWith(`/o/${member.token}?stored=1`);
  return { acknowledged, status: response.status, detail: acknowledged ? "" : text.slice(0, 200) };
};

export type TPostOutcome = { member: TLoadMember; sentAt: number; answeredAt: number; acknowledged: boolean; status: number; detail: string };

/**
 * Posts the form for each member in turn, `perSecond` a second (each post on its own, so a slow
 * answer never holds the next back), until stopped or the members run out. `stop()` waits for
 * the posts under way and gives every outcome; a post that got no HTTP answer has status 0.
 */
export const startFormLoad = ({ base, members, perSecond }: { base: string; members: TLoadMember[]; perSecond: number }) => {
  const outcomes: TPostOutcome[] = [];
  const pending = new Set<Promise<void>>();
  const started = Date.now();
  let sent = 0;
  let running = true;
  const tick = setInterval(() => {
    const due = Math.min(members.length, Math.floor(((Date.now() - started) * perSecond) / 1000));
    while (running && sent < due) {
      const member = members[sent++]!;
      const sentAt = Date.now();
      const post = postObjectionForm({ base, member }).then(
        (answer) => void outcomes.push({ member, sentAt, answeredAt: Date.now(), ...answer }),
        (error: unknown) =>
          void outcomes.push({ member, sentAt, answeredAt: Date.now(), acknowledged: false, status: 0, detail: error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error) }),
      );
      pending.add(post);
      void post.finally(() => pending.delete(post));
    }
  }, 5);
  return {
    outcomes,
    /** Posts made so far. */
    sent: () => sent,
    stop: async () => {
      running = false;
      clearInterval(tick);
      await Promise.all([...pending]);
      return outcomes;
    },
  };
};
