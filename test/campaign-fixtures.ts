import type { ParsedMail } from "mailparser";
import pg from "pg";

/** Inserts `count` members in one statement; emails are `<prefix>-<n>@example.eu`. */
export const seedMembers = async ({ pool, prefix, count, country, birthDate = "1985-06-01", locale = "en" }: { pool: pg.Pool; prefix: string; count: number; country: string; birthDate?: string; locale?: string }) => {
  const { rows } = await pool.query<{ email: string }>(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
     SELECT $1 || '-' || i, $1 || '-' || i || '@example.eu', $2, $3::date, $4 FROM generate_series(1, $5) AS i
     RETURNING email`,
    [prefix, country, birthDate, locale, count],
  );
  return rows.map((row) => row.email);
};

export const recipientOf = (mail: ParsedMail) => {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address ?? "";
};

/** How many times each address received mail. */
export const deliveriesByRecipient = (messages: ParsedMail[]) => {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(recipientOf(message), (counts.get(recipientOf(message)) ?? 0) + 1);
  return counts;
};

export const waitUntil = async ({ check, timeoutMs, what }: { check: () => Promise<boolean>; timeoutMs: number; what: string }) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
};
