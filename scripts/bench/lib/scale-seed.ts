import pg from "pg";

// The scale bench's data (scripts/bench/scale.ts), grown in place from one size to the next: members
// `scale-<i>` in 33 countries (3 outside the EEA), each with an email notice of campaign A and an
// in-app notice of campaign B (a quarter of those seen), and an effective objection for every tenth,
// made through campaign A's email. Each part of PART members is one statement, so the counting
// triggers see it as the platform's own bulk writes would be seen.

const PART = 1_000_000;

const EEA = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"];
const COUNTRIES = [...EEA, "US", "GB", "CH"];

const GROW_SQL = `
  WITH m AS (
    INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
    SELECT 'scale-' || i, 'member.' || i || '@example.eu', (ARRAY['${COUNTRIES.join("','")}'])[1 + i % ${COUNTRIES.length}],
           date '1940-01-01' + ((i::bigint * 7919) % 27000)::int, 'en'
    FROM generate_series($1::int, $2::int) AS i
    RETURNING id, email, country, substr("externalId", 7)::int AS i
  ), e AS (
    INSERT INTO "Notification" ("memberId", "campaignId", batch, channel, status, attempts, "sentAt", locale)
    SELECT id, $3::uuid, i / 1000, 'email', 'sent', 1, now() - interval '20 days', 'en' FROM m
    RETURNING id, "memberId"
  ), a AS (
    INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt", "seenAt")
    SELECT id, $4::uuid, 'in_app', (CASE WHEN i % 4 = 0 THEN 'seen' ELSE 'sent' END)::"NotificationStatus",
           now() - interval '20 days', CASE WHEN i % 4 = 0 THEN now() - interval '19 days' END
    FROM m
  )
  INSERT INTO "Objection" ("memberId", email, country, source, status, "notificationId", "campaignId", "effectiveAt")
  SELECT m.id, m.email, m.country, 'email_link', 'effective', e.id, $3::uuid, now() - ((m.i::bigint * 7919) % 15552000) * interval '1 second'
  FROM m JOIN e ON e."memberId" = m.id
  WHERE m.i % 10 = 0`;

const CAMPAIGN_SQL = `
  INSERT INTO "Campaign" (name, channels, status, "launchedAt", "audienceAt", "completedAt", total)
  VALUES ($1, $2::"NotificationChannel"[], 'done', now() - interval '21 days', now() - interval '21 days', now() - interval '20 days', 0)
  RETURNING id`;

export type TScaleCampaigns = { email: string; inApp: string };

/** The two campaigns every member is notified by: one per channel, both done. */
export const createScaleCampaigns = async (pool: pg.Pool): Promise<TScaleCampaigns> => {
  const email = (await pool.query<{ id: string }>(CAMPAIGN_SQL, ["scale: email", "{email}"])).rows[0]!.id;
  const inApp = (await pool.query<{ id: string }>(CAMPAIGN_SQL, ["scale: in-app", "{in_app}"])).rows[0]!.id;
  return { email, inApp };
};

/** Members `from`..`to` (1-based, inclusive) with their notices and objections, in parts; reports each part. */
export const growScaleData = async ({ pool, campaigns, from, to, onPart }: { pool: pg.Pool; campaigns: TScaleCampaigns; from: number; to: number; onPart: (done: number) => void }) => {
  for (let start = from; start <= to; start += PART) {
    const end = Math.min(to, start + PART - 1);
    await pool.query(GROW_SQL, [start, end, campaigns.email, campaigns.inApp]);
    onPart(end);
  }
  await pool.query(`UPDATE "Campaign" SET total = $1 WHERE id = ANY($2::uuid[])`, [to, [campaigns.email, campaigns.inApp]]);
  await pool.query(`VACUUM ANALYZE`);
};

/**
 * A running campaign of `size` queued emails to members of the newest part who have not objected, in
 * batches of 1,000 as a launch leaves them: what the claim-and-send measurement sends.
 */
export const createSendingCampaign = async ({ pool, size, newest }: { pool: pg.Pool; size: number; newest: number }) => {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Campaign" (name, channels, status, "launchedAt", "audienceAt", total) VALUES ($1, '{email}', 'running', now(), now(), $2) RETURNING id`,
    [`scale: sending at ${newest}`, size],
  );
  const campaignId = rows[0]!.id;
  await pool.query(
    `INSERT INTO "Notification" ("memberId", "campaignId", batch, channel)
     SELECT m.id, $1::uuid, (i - 1) / 1000, 'email'
     FROM generate_series(1, $2::int) AS i JOIN "Member" m ON m."externalId" = 'scale-' || ($3::int - (i - 1) * 10 - 1)`,
    [campaignId, size, newest],
  );
  await pool.query(`ANALYZE "Notification"`);
  return campaignId;
};

/** Members `scale-<i>` of the newest part with no objection (i not a multiple of 10), for the submit and link measurements. */
export const membersWithoutObjection = async ({ pool, newest, count }: { pool: pg.Pool; newest: number; count: number }) => {
  const { rows } = await pool.query<{ memberId: string; notificationId: string; country: string }>(
    `SELECT m.id AS "memberId", n.id AS "notificationId", m.country
     FROM generate_series(1, $2::int) AS k
     JOIN "Member" m ON m."externalId" = 'scale-' || ($1::int - (k - 1) * 10 - 3)
     JOIN "Notification" n ON n."memberId" = m.id AND n.channel = 'email' AND n.status = 'sent'`,
    [newest, count],
  );
  return rows;
};
