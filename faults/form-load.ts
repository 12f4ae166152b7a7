import http from "node:http";

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

/**
 * The objection form posted as a browser without JavaScript posts it: a 303 to the link's page with
 * `?stored=1` is the success answer. Each post on a connection of its own: a browser that finds a
 * kept-alive connection closed before any answer sends the request again on a new one, which a
 * test's client would not, and the faults here are about the instances, not that race.
 */
export const postObjectionForm = ({ base, member }: { base: string; member: TLoadMember }) =>
  new Promise<{ acknowledged: boolean; status: number; retryAfter: string | null; detail: string }>((resolve, reject) => {
    const body = new URLSearchParams({ token: member.token, country: "DE" }).toString();
    const request = http.request(`${base}/o/submit`, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
    });
    request.on("error", reject);
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("error", reject);
      response.on("end", () => {
        const status = response.statusCode ?? 0;
        const acknowledged = status === 303 && (response.headers.location ?? "").endsWith(`/o/${member.token}?stored=1`);
        const retryAfter = typeof response.headers["retry-after"] === "string" ? response.headers["retry-after"] : null;
        resolve({ acknowledged, status, retryAfter, detail: acknowledged ? "" : text.slice(0, 200) });
      });
    });
    request.end(body);
  });

export type TPostOutcome = { member: TLoadMember; sentAt: number; answeredAt: number; acknowledged: boolean; status: number; retryAfter: string | null; detail: string };

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
          void outcomes.push({ member, sentAt, answeredAt: Date.now(), acknowledged: false, status: 0, retryAfter: null, detail: error instanceof Error ? `${error.name}: ${error.message} ${(error as NodeJS.ErrnoException).code ?? ""}` : String(error) }),
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
