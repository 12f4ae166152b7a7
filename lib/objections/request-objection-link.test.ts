import { randomUUID } from "node:crypto";

import type { ParsedMail } from "mailparser";
import { afterAll, describe, expect, it } from "vitest";

import { LINK_HOLDER, systemActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { openPersonalLink } from "@/lib/links/open-personal-link";
import { verifyLinkToken } from "@/lib/links/token";
import { takeLinkRequest, LINK_EMAILS_PER_ADDRESS_PER_DAY } from "@/lib/objections/link-request-limits";
import { linkRequestResponse } from "@/lib/objections/link-request-response";
import { receiveLinkRequest } from "@/lib/objections/receive-link-request";
import { sendObjectionLink } from "@/lib/objections/send-objection-link";
import { submitObjection } from "@/lib/objections/submit-objection";
import { pgPool } from "@/lib/pg";
import { fileSmtpSink } from "@/test/file-smtp-sink";

const smtp = fileSmtpSink();

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
});

const uniqueAddress = (label: string) => `${label}-${randomUUID()}@example.eu`;

const createMember = (email: string, locale: string | null = null) =>
  db().member.create({ data: { externalId: `ext-${randomUUID()}`, email, country: "AT", birthDate: new Date("1990-01-01"), locale } });

/** Each visitor its own IP, so the per-IP budget does not spill over from one test to the next. */
const visitor = (acceptLanguage = "en") => new Headers({ "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 250)}, 10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`, "accept-language": acceptLanguage });

/** Posts the /object form, then runs the job it queued, as the worker would. */
const requestAndSend = async ({ email, headers = visitor(), locale = "en" }: { email: string; headers?: Headers; locale?: string }) => {
  const result = await receiveLinkRequest({ fields: { email }, headers, locale });
  expect(result).toEqual({ status: "sent" });
  const { rows } = await pgPool().query<{ id: string }>(`SELECT id FROM "AddressLink" WHERE email = $1 ORDER BY "createdAt" DESC LIMIT 1`, [email.trim().toLowerCase()]);
  const id = rows[0]?.id;
  if (!id) throw new Error("the request stored no address link");
  return sendObjectionLink({ actor: systemActor(QUEUES.objectionLinkRequest.name), addressLinkId: id });
};

const linksIn = (message: ParsedMail) => [...(message.text ?? "").matchAll(/\/o\/([A-Za-z0-9_-]{40,})/g)].map((match) => match[1] ?? "");

describe("objecting without a link (/object)", () => {
  it("finds the account whatever the letter case, and emails its own personal link", async () => {
    const email = uniqueAddress("jane");
    const member = await createMember(email, "de");

    const outcome = await requestAndSend({ email: `  ${email.toUpperCase()} ` });

    expect(outcome).toEqual({ sent: "personal_links", accounts: 1 });
    const [message] = smtp.messagesTo(email);
    expect(message?.subject).toContain("persönlicher Link");
    const [token] = linksIn(message!);
    expect(verifyLinkToken({ token: token!, secrets: env().LINK_SECRETS })).toMatchObject({ ok: true, subject: { kind: "member", id: member.id } });
    // The address served its purpose: nothing of it is kept.
    expect(await db().addressLink.count({ where: { email } })).toBe(0);
  });

  it("sends one email that holds a link for each account on the address", async () => {
    const email = uniqueAddress("two-accounts");
    const first = await createMember(email);
    const second = await createMember(email);

    expect(await requestAndSend({ email })).toEqual({ sent: "personal_links", accounts: 2 });

    const messages = smtp.messagesTo(email);
    expect(messages).toHaveLength(1);
    const subjects = linksIn(messages[0]!).map((token) => verifyLinkToken({ token, secrets: env().LINK_SECRETS }));
    expect(subjects.map((verified) => (verified.ok ? verified.subject.id : null)).sort()).toEqual([first.id, second.id].sort());
  });

  it("emails an address without an account a link that records an unmatched objection for that address alone", async () => {
    const email = uniqueAddress("nobody");

    expect(await requestAndSend({ email, headers: visitor("fr-BE,fr;q=0.8"), locale: "fr" })).toEqual({ sent: "address_link" });

    const [message] = smtp.messagesTo(email);
    expect(message?.subject).toContain("opposer");
    const [token] = linksIn(message!);
    const opened = await openPersonalLink({ actor: LINK_HOLDER, token: token! });
    // The country comes from the request's language region; the person can change it on the form.
    expect(opened).toMatchObject({ ok: true, link: { member: { email, country: "BE", locale: "fr" }, objection: null } });

    const verified = verifyLinkToken({ token: token!, secrets: env().LINK_SECRETS });
    if (!verified.ok || verified.subject.kind !== "address") throw new Error("not an address link");
    const stored = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "address", id: verified.subject.id }, country: "BE" });
    expect(stored).toMatchObject({ status: "created", objection: { memberId: null, email, country: "BE", source: "direct", status: "effective" } });

    // A second press returns the first objection; the link now shows it.
    const again = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "address", id: verified.subject.id }, country: "BE" });
    expect(again.status === "existing" && stored.status === "created" && again.objection.id === stored.objection.id).toBe(true);
    expect(await openPersonalLink({ actor: LINK_HOLDER, token: token! })).toMatchObject({ ok: true, link: { objection: { country: "BE" } } });
    expect(await db().objection.count({ where: { email } })).toBe(1);

    // Its receipt goes out in the language the request was made in.
    const [receiptJob] = (await pgPool().query<{ data: { objectionId: string; locale?: string } }>(`SELECT data FROM pgboss.job WHERE name = 'objection-receipt' AND data->>'objectionId' = $1`, [stored.status === "created" ? stored.objection.id : ""])).rows;
    expect(receiptJob?.data.locale).toBe("fr");
  });

  it("gives the same answer, and stores the same kind of row, for a known and an unknown address", async () => {
    const known = uniqueAddress("known");
    await createMember(known);
    const unknown = uniqueAddress("unknown");

    const answers = [await receiveLinkRequest({ fields: { email: known }, headers: visitor(), locale: "en" }), await receiveLinkRequest({ fields: { email: unknown }, headers: visitor(), locale: "en" })];

    expect(answers).toEqual([{ status: "sent" }, { status: "sent" }]);
    expect(await db().addressLink.count({ where: { email: { in: [known, unknown] } } })).toBe(2);
  });

  it("finds an account with an internationalised address, written in either case, and emails its personal link there", async () => {
    const email = `jürgen-${randomUUID()}@müller.example`;
    const member = await createMember(email);

    const outcome = await requestAndSend({ email: email.toUpperCase() });

    expect(outcome).toEqual({ sent: "personal_links", accounts: 1 });
    const [message] = smtp.messagesTo(email);
    expect(verifyLinkToken({ token: linksIn(message!)[0]!, secrets: env().LINK_SECRETS })).toMatchObject({ ok: true, subject: { kind: "member", id: member.id } });
  });

  it("refuses an address that is not one, and stores nothing", async () => {
    const result = await receiveLinkRequest({ fields: { email: "not-an-address" }, headers: visitor(), locale: "en" });
    expect(result).toEqual({ status: "invalid", fieldErrors: { email: "email_invalid" } });
    expect(await db().addressLink.count({ where: { email: "not-an-address" } })).toBe(0);
  });

  it("an expired address link objects for no one, and the next job deletes its row", async () => {
    const email = uniqueAddress("expired");
    const link = await db().addressLink.create({ data: { email, expiresAt: new Date(Date.now() - 1000) } });

    expect(await submitObjection({ actor: LINK_HOLDER, subject: { kind: "address", id: link.id }, country: "DE" })).toEqual({ status: "unknown_subject" });
    expect(await sendObjectionLink({ actor: systemActor(QUEUES.objectionLinkRequest.name), addressLinkId: link.id })).toEqual({ sent: false });
    expect(await db().addressLink.findUnique({ where: { id: link.id } })).toBeNull();
    expect(smtp.messagesTo(email)).toHaveLength(0);
  });
});

describe("abuse limits on /object", () => {
  it(`sends one address at most ${LINK_EMAILS_PER_ADDRESS_PER_DAY} emails a day, whoever asks, then says when to try again`, async () => {
    const email = uniqueAddress("capped");
    for (let request = 0; request < LINK_EMAILS_PER_ADDRESS_PER_DAY; request += 1) {
      expect(await receiveLinkRequest({ fields: { email }, headers: visitor(), locale: "en" })).toEqual({ status: "sent" });
    }

    const refused = await receiveLinkRequest({ fields: { email: email.toUpperCase() }, headers: visitor(), locale: "en" });

    expect(refused.status).toBe("limited");
    const retryAt = refused.status === "limited" ? refused.retryAt.getTime() : 0;
    expect(retryAt).toBeGreaterThan(Date.now() + 23 * 60 * 60 * 1000);
    expect(await db().addressLink.count({ where: { email } })).toBe(LINK_EMAILS_PER_ADDRESS_PER_DAY);
  });

  it("limits one visitor's requests an hour, whatever the addresses", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}-${randomUUID().slice(0, 8)}`;
    const allowances = [];
    for (let request = 0; request <= env().LINK_REQUESTS_PER_IP_PER_HOUR; request += 1) allowances.push(await takeLinkRequest({ email: uniqueAddress("many"), ip }));

    expect(allowances.slice(0, -1).every((allowance) => allowance.allowed)).toBe(true);
    const last = allowances.at(-1);
    expect(last?.allowed).toBe(false);
    expect(last && !last.allowed && last.retryAt.getTime()).toBeGreaterThan(Date.now() + 59 * 60 * 1000);
  });

  it("counts IPv6 visitors by their /64: new addresses in the same /64 do not get a new budget", async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const from = (host: number) => new Headers({ "x-forwarded-for": `${prefix}::${host.toString(16)}`, "accept-language": "en" });
    for (let request = 1; request <= env().LINK_REQUESTS_PER_IP_PER_HOUR; request += 1) {
      expect(await receiveLinkRequest({ fields: { email: uniqueAddress("v6") }, headers: from(request), locale: "en" })).toEqual({ status: "sent" });
    }

    const refused = await receiveLinkRequest({ fields: { email: uniqueAddress("v6") }, headers: from(0xbeef), locale: "en" });

    expect(refused.status).toBe("limited");
    // Another /64 has its own budget.
    const other = new Headers({ "x-forwarded-for": `2001:db8:ffff:${Math.floor(Math.random() * 0xffff).toString(16)}::1` });
    expect(await receiveLinkRequest({ fields: { email: uniqueAddress("v6") }, headers: other, locale: "en" })).toEqual({ status: "sent" });
  });

  it("counts an IPv4 visitor written as IPv4-mapped IPv6 in the same budget as its IPv4 address", async () => {
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const forms = [ip, `::ffff:${ip}`];
    for (let request = 0; request < env().LINK_REQUESTS_PER_IP_PER_HOUR; request += 1) {
      const headers = new Headers({ "x-forwarded-for": forms[request % 2]! });
      expect(await receiveLinkRequest({ fields: { email: uniqueAddress("mapped") }, headers, locale: "en" })).toEqual({ status: "sent" });
    }
    const refused = await receiveLinkRequest({ fields: { email: uniqueAddress("mapped") }, headers: new Headers({ "x-forwarded-for": `::ffff:${ip}` }), locale: "en" });
    expect(refused.status).toBe("limited");
  });
});

describe("posts from other sites (/object)", () => {
  const rateLimitPoints = async () => Number((await pgPool().query<{ n: string }>(`SELECT coalesce(sum(points), 0) AS n FROM rate_limit`)).rows[0]!.n);

  it("refuses a post whose Origin is another site, sends nothing and spends no one's budget", async () => {
    const email = uniqueAddress("cross-site");
    const before = await rateLimitPoints();

    for (const origin of ["https://evil.example", "http://localhost:3998", "https://localhost:3999"]) {
      const headers = visitor();
      headers.set("origin", origin);
      expect(await receiveLinkRequest({ fields: { email }, headers, locale: "en" })).toEqual({ status: "foreign_origin" });
    }
    // A page that sets Referrer-Policy: no-referrer makes its posts say "Origin: null"; the browser still says whose site it was.
    for (const site of ["cross-site", "same-site"]) {
      const headers = visitor();
      headers.set("origin", "null");
      headers.set("sec-fetch-site", site);
      expect(await receiveLinkRequest({ fields: { email }, headers, locale: "en" })).toEqual({ status: "foreign_origin" });
    }

    expect(await db().addressLink.count({ where: { email } })).toBe(0);
    expect(await rateLimitPoints()).toBe(before);
  });

  it("answers a post from another site 403, with a page that says where the form is", async () => {
    const request = new Request(`${env().APP_URL}/object/request`, { method: "POST", headers: { origin: "https://evil.example" } });
    const response = linkRequestResponse({ result: { status: "foreign_origin" }, request, locale: "en" });

    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("text/html");
    const page = await response.text();
    expect(page).toContain(`${env().APP_URL}/object`);
    expect(page).not.toContain("evil.example");

    const json = linkRequestResponse({ result: { status: "foreign_origin" }, request: new Request(request, { headers: { accept: "application/json" } }), locale: "en" });
    expect(json.status).toBe(403);
    expect(await json.json()).toMatchObject({ status: "foreign_origin" });
  });

  it("takes a post with no Origin, with Origin null (sent from a no-referrer page), and from the app's own origin", async () => {
    const cases = [{ origin: null }, { origin: "null" }, { origin: "null", site: "same-origin" }, { origin: new URL(env().APP_URL).origin, site: "same-origin" }];
    for (const { origin, site } of cases) {
      const email = uniqueAddress("same-site");
      const headers = visitor();
      if (origin !== null) headers.set("origin", origin);
      if (site) headers.set("sec-fetch-site", site);
      expect(await receiveLinkRequest({ fields: { email }, headers, locale: "en" })).toEqual({ status: "sent" });
      expect(await db().addressLink.count({ where: { email } })).toBe(1);
    }
  });
});
