import { randomUUID } from "node:crypto";

import en from "../messages/en.json";
import { createCampaign } from "../test/factories";
import { countRows, expect, test } from "./fixtures";
import { PLATFORM_AUTH as auth, platformMember as member } from "./platform-api-fixtures";

test.describe("platform API over HTTP", () => {
  test("syncs members, re-syncs them as updates, and normalises their email", async ({ request, db }) => {
    const ids = [randomUUID(), randomUUID(), randomUUID()].map((id) => `sync-${id}`);
    const first = await request.put("/api/v1/members", { headers: auth, data: { members: ids.map((id) => member(id)) } });
    expect(first.status()).toBe(200);
    expect(await first.json()).toEqual({ created: 3, updated: 0 });

    const again = await request.put("/api/v1/members", { headers: auth, data: { members: ids.map((id) => member(id, { country: "MT" })) } });
    expect(await again.json()).toEqual({ created: 0, updated: 3 });

    const stored = await db.query(`SELECT email, country FROM "Member" WHERE "externalId" = ANY($1) ORDER BY "externalId"`, [ids]);
    expect(stored.rows).toEqual([...ids].sort().map((id) => ({ email: `${id}@example.eu`, country: "MT" })));
  });

  test("a batch with internationalised addresses is stored whole, each address normalised", async ({ request, db }) => {
    const id = randomUUID();
    const ids = [`idn-${id}-a`, `idn-${id}-b`, `idn-${id}-c`];
    const emails = [`plain-${id}@example.eu`, `Jürgen-${id}@Müller.DE`, `Ju\u0308rgen-${id}@mu\u0308ller.de`];
    const response = await request.put("/api/v1/members", { headers: auth, data: { members: ids.map((externalId, index) => member(externalId, { email: emails[index] })) } });
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ created: 3, updated: 0 });
    const stored = await db.query(`SELECT email FROM "Member" WHERE "externalId" = ANY($1) ORDER BY "externalId"`, [ids]);
    expect(stored.rows.map((row) => row.email)).toEqual([`plain-${id}@example.eu`, `jürgen-${id}@müller.de`, `j\u00fcrgen-${id}@m\u00fcller.de`]);
  });

  test("an invalid batch writes nothing and lists each bad row by index, field and reason", async ({ request, db }) => {
    const ids = [0, 1, 2, 3].map(() => `bad-${randomUUID()}`);
    const response = await request.put("/api/v1/members", {
      headers: auth,
      data: { members: [member(ids[0]!), member(ids[1]!, { email: "not-an-address" }), member(ids[2]!), member(ids[3]!, { birthDate: "3000-01-01", country: "de" })] },
    });
    expect(response.status()).toBe(422);
    const { error } = (await response.json()) as { error: { issues: { index: number; field: string; reason: string }[] } };
    expect(error.issues.map(({ index, field }) => `${index}:${field}`).sort()).toEqual(["1:email", "3:birthDate", "3:country"]);
    expect(await countRows(db, `SELECT count(*) FROM "Member" WHERE "externalId" = ANY($1)`, [ids])).toBe(0);
  });

  test("NUL and other control characters are a 422 naming the field, never a 503 to retry, and nothing is stored", async ({ request, db }) => {
    const id = randomUUID();
    const ids = [`ctl-${id}-a`, `ctl-${id}-b`];
    const sync = await request.put("/api/v1/members", { headers: auth, data: { members: [member(ids[0]!), member(ids[1]!, { externalId: `${ids[1]}\u0000`, locale: "en\u0000" })] } });
    expect(sync.status()).toBe(422);
    const { error } = (await sync.json()) as { error: { issues: { index: number; field: string }[] } };
    expect(error.issues.map(({ index, field }) => `${index}:${field}`).sort()).toEqual(["1:externalId", "1:locale"]);
    expect(await countRows(db, `SELECT count(*) FROM "Member" WHERE "externalId" LIKE $1`, [`ctl-${id}%`])).toBe(0);

    const lineBreak = await request.put("/api/v1/members", { headers: auth, data: { members: [member(`ctl-${id}\r\nx`)] } });
    expect(lineBreak.status()).toBe(422);

    const campaign = await request.post("/api/v1/campaigns", { headers: auth, data: { name: `ctl ${id}\u0000`, channels: ["email"] } });
    expect(campaign.status()).toBe(422);
    expect(campaign.headers()["retry-after"]).toBeUndefined();
    expect(((await campaign.json()) as { error: { issues: { field: string }[] } }).error.issues.map(({ field }) => field)).toEqual(["name"]);
    expect(await countRows(db, `SELECT count(*) FROM "Campaign" WHERE name LIKE $1`, [`ctl ${id}%`])).toBe(0);

    expect((await request.post("/api/v1/objections", { headers: auth, data: { externalId: `ctl-${id}\u0000`, source: "gpc" } })).status()).toBe(422);
  });

  test("a country must be an assigned ISO 3166-1 alpha-2 code: XX, ZZ and AA are a 422 naming the field; GR, NO and LI are stored", async ({ request, db }) => {
    const id = randomUUID();
    const refused = await request.put("/api/v1/members", { headers: auth, data: { members: ["XX", "ZZ", "AA"].map((country) => member(`iso-${id}-${country}`, { country })) } });
    expect(refused.status()).toBe(422);
    const { error } = (await refused.json()) as { error: { issues: { index: number; field: string; reason: string }[] } };
    expect(error.issues.map(({ index, field }) => `${index}:${field}`)).toEqual(["0:country", "1:country", "2:country"]);
    expect(error.issues[0]?.reason).toMatch(/ISO 3166-1 alpha-2/);

    const accepted = await request.put("/api/v1/members", { headers: auth, data: { members: ["GR", "NO", "LI"].map((country) => member(`iso-${id}-${country}`, { country })) } });
    expect(accepted.status()).toBe(200);
    expect(await countRows(db, `SELECT count(*) FROM "Member" WHERE "externalId" LIKE $1`, [`iso-${id}-%`])).toBe(3);

    const campaign = await request.post("/api/v1/campaigns", { headers: auth, data: { name: `iso ${id}`, channels: ["email"], countries: ["XX"] } });
    expect(campaign.status()).toBe(422);
    expect(((await campaign.json()) as { error: { issues: { field: string }[] } }).error.issues.map(({ field }) => field)).toEqual(["countries.0"]);
  });

  test("shows in-app notices to eligible members only, and counts seen and clicked", async ({ request, page }) => {
    const adult = `inapp-${randomUUID()}`;
    const minor = `inapp-minor-${randomUUID()}`;
    const seventeen = new Date();
    seventeen.setUTCFullYear(seventeen.getUTCFullYear() - 17);
    await request.put("/api/v1/members", { headers: auth, data: { members: [member(adult, { country: "LV" }), member(minor, { country: "LV", birthDate: seventeen.toISOString().slice(0, 10) })] } });

    const created = await request.post("/api/v1/campaigns", { headers: auth, data: { name: `in-app ${adult}`, channels: ["in_app"], countries: ["LV"] } });
    const { id } = (await created.json()) as { id: string };
    expect((await request.post(`/api/v1/campaigns/${id}/launch`, { headers: auth })).status()).toBe(202);

    let notices: { id: string; title: string; body: string; url: string; seenAt: string | null }[] = [];
    await expect(async () => {
      notices = await (await request.get(`/api/v1/members/${adult}/notifications`, { headers: auth })).json();
      expect(notices).toHaveLength(1);
    }).toPass({ timeout: 20_000 });
    expect(notices[0]).toMatchObject({ title: en.inApp.title, body: en.inApp.body, seenAt: null });
    expect(notices[0]?.url).toMatch(/\/o\/[A-Za-z0-9_-]{72}$/);
    expect(await (await request.get(`/api/v1/members/${minor}/notifications`, { headers: auth })).json()).toEqual([]);

    expect((await request.post(`/api/v1/notifications/${notices[0]?.id}/seen`, { headers: auth })).status()).toBe(204);
    await page.goto(notices[0]?.url ?? "");
    await expect(page.getByRole("heading", { level: 1, name: en.form.title })).toBeVisible();

    const stats = await (await request.get(`/api/v1/campaigns/${id}`, { headers: auth })).json();
    expect(stats).toMatchObject({ total: 1, seen: 1, clicked: 1 });
  });

  test("a follow-up campaign names a finished one (422 otherwise) and tells only the members it did not reach", async ({ request }) => {
    const [seen, unseen] = ["seen", "unseen"].map((name) => `follow-up-${name}-${randomUUID()}`) as [string, string];
    await request.put("/api/v1/members", { headers: auth, data: { members: [member(seen, { country: "CY" }), member(unseen, { country: "CY" })] } });
    const campaign = async (data: Record<string, unknown>) => request.post("/api/v1/campaigns", { headers: auth, data: { channels: ["in_app"], countries: ["CY"], ...data } });

    const { id: first } = (await (await campaign({ name: `first ${seen}` })).json()) as { id: string };
    const draft = await campaign({ name: `too early ${seen}`, notReachedBy: first });
    expect(draft.status()).toBe(422);
    expect(((await draft.json()) as { error: { message: string } }).error.message).toContain("not done");
    expect((await campaign({ name: `unknown ${seen}`, notReachedBy: randomUUID() })).status()).toBe(422);

    expect((await request.post(`/api/v1/campaigns/${first}/launch`, { headers: auth })).status()).toBe(202);
    await expect(async () => expect(await (await request.get(`/api/v1/campaigns/${first}`, { headers: auth })).json()).toMatchObject({ status: "done", notReachedBy: null })).toPass({ timeout: 20_000 });
    const [notice] = (await (await request.get(`/api/v1/members/${seen}/notifications`, { headers: auth })).json()) as { id: string }[];
    expect((await request.post(`/api/v1/notifications/${notice?.id}/seen`, { headers: auth })).status()).toBe(204);

    const created = await campaign({ name: `follow-up ${seen}`, notReachedBy: first });
    expect(created.status()).toBe(201);
    const { id: followUp } = (await created.json()) as { id: string };
    expect((await request.post(`/api/v1/campaigns/${followUp}/launch`, { headers: auth })).status()).toBe(202);
    await expect(async () => expect(await (await request.get(`/api/v1/campaigns/${followUp}`, { headers: auth })).json()).toMatchObject({ status: "done", notReachedBy: first })).toPass({
      timeout: 20_000,
    });
    // The record of notice holds both campaigns' notices; the in-app list only the latest, once.
    const history = async (externalId: string) =>
      ((await (await request.get(`/api/v1/members/${externalId}/notices`, { headers: auth })).json()) as { notices: { id: string; campaign: { id: string } | null }[] }).notices;
    const [latest, earlier, ...none] = await history(unseen);
    expect([latest?.campaign?.id, earlier?.campaign?.id, none]).toEqual([followUp, first, []]);
    expect((await history(seen)).map((notice) => notice.campaign?.id)).toEqual([first]);
    const feed = (await (await request.get(`/api/v1/members/${unseen}/notifications`, { headers: auth })).json()) as { id: string }[];
    expect(feed.map((notice) => notice.id)).toEqual([latest?.id]);
    expect(await (await request.get(`/api/v1/members/${seen}/notifications`, { headers: auth })).json()).toHaveLength(1);
  });

  test("records a forwarded objection once, effective at once, with its receipt", async ({ request, db, inbox }) => {
    const externalId = `gpc-${randomUUID()}`;
    await request.put("/api/v1/members", { headers: auth, data: { members: [member(externalId)] } });

    const first = await request.post("/api/v1/objections", { headers: auth, data: { externalId, source: "gpc" } });
    expect(first.status()).toBe(201);
    const body = await first.json();
    expect(body).toMatchObject({ status: "effective", source: "gpc", created: true });

    const repeat = await request.post("/api/v1/objections", { headers: auth, data: { externalId, source: "in_app_setting" } });
    expect(repeat.status()).toBe(200);
    expect(await repeat.json()).toMatchObject({ id: body.id, created: false });

    expect(await countRows(db, `SELECT count(*) FROM "ObjectionEvent" WHERE "objectionId" = $1 AND type = 'created'`, [body.id])).toBe(1);
    // The platform forwarded it: the audit names the platform, not the member.
    expect(await countRows(db, `SELECT count(*) FROM "ObjectionEvent" WHERE "objectionId" = $1 AND "actorType" = 'platform' AND "actorId" IS NULL`, [body.id])).toBe(1);
    await inbox.waitForEmailTo(`${externalId}@example.eu`, { subject: en.emails.receipt.subject });

    const unknown = await request.post("/api/v1/objections", { headers: auth, data: { externalId: `nobody-${randomUUID()}`, source: "gpc" } });
    expect(unknown.status()).toBe(404);
    const invalid = await request.post("/api/v1/objections", { headers: auth, data: { externalId, source: "email" } });
    expect(invalid.status()).toBe(422);
  });

  test("the in-app setting switched back withdraws the objection, confirmed by email; its state follows; objecting again works", async ({ request, db, inbox }) => {
    // A `%` and a `%41` in the id: Next decodes the path once, and the app must not decode it again.
    const id = randomUUID();
    const externalId = `setting-${id}-100%-%41`;
    const email = `setting-${id}@example.eu`;
    const path = encodeURIComponent(externalId);
    expect((await request.put("/api/v1/members", { headers: auth, data: { members: [member(externalId, { email })] } })).status()).toBe(200);
    const state = async () => (await request.get(`/api/v1/members/${path}/objection`, { headers: auth })).json();
    expect(await state()).toMatchObject({ externalId, state: "none", objection: null });

    const made = await (await request.post("/api/v1/objections", { headers: auth, data: { externalId, source: "in_app_setting" } })).json();
    expect(await state()).toMatchObject({ state: "objected", objection: { id: made.id, status: "effective" } });

    const withdrawn = await request.post(`/api/v1/objections/${path}/withdraw`, { headers: auth });
    expect(withdrawn.status()).toBe(200);
    expect(await withdrawn.json()).toMatchObject({ externalId, state: "withdrawn", withdrawn: true, objection: { id: made.id, status: "withdrawn" } });
    expect(await countRows(db, `SELECT count(*) FROM "ObjectionEvent" WHERE "objectionId" = $1 AND type = 'withdrawn' AND "actorType" = 'platform' AND "actorId" IS NULL`, [made.id])).toBe(1);
    await inbox.waitForEmailTo(email, { subject: en.emails.withdrawal.subject });

    // A repeat changes nothing; objecting again makes a new objection.
    expect(await (await request.post(`/api/v1/objections/${path}/withdraw`, { headers: auth })).json()).toMatchObject({ state: "withdrawn", withdrawn: false });
    const again = await request.post("/api/v1/objections", { headers: auth, data: { externalId, source: "in_app_setting" } });
    expect(again.status()).toBe(201);
    expect(await state()).toMatchObject({ state: "objected", objection: { status: "effective" } });

    expect((await request.post(`/api/v1/objections/nobody-${randomUUID()}/withdraw`, { headers: auth })).status()).toBe(404);
    expect((await request.get(`/api/v1/members/nobody-${randomUUID()}/objection`, { headers: auth })).status()).toBe(404);
    expect((await request.post(`/api/v1/objections/${path}/withdraw`)).status()).toBe(401);
  });

  test("an externalId holding %, %41 or Unicode is reached through encodeURIComponent, decoded once, on every member route", async ({ request, db }) => {
    const id = randomUUID();
    const ids = [`path-${id}-100%`, `path-${id}-%41`, `path-${id}-müller-用户`];
    const lookalike = `path-${id}-A`;
    expect((await request.put("/api/v1/members", { headers: auth, data: { members: [...ids, lookalike].map((externalId, index) => member(externalId, { email: `path-${index}-${id}@example.eu` })) } })).status()).toBe(200);
    // Only the member …-A has a notice: decoding …-%41 twice would show it that one.
    const told = await createCampaign({ db, channels: ["in_app"], status: "done" });
    await db.query(`INSERT INTO "Notification" ("memberId", "campaignId", channel, status) SELECT id, $2, 'in_app', 'sent' FROM "Member" WHERE "externalId" = $1`, [lookalike, told.id]);

    for (const externalId of ids) {
      const path = encodeURIComponent(externalId);
      const notices = await request.get(`/api/v1/members/${path}/notifications`, { headers: auth });
      expect(notices.status()).toBe(200);
      expect(await notices.json()).toEqual([]);
      expect(await (await request.get(`/api/v1/members/${path}/objection`, { headers: auth })).json()).toMatchObject({ externalId, state: "none" });
      expect(await (await request.post(`/api/v1/objections/${path}/withdraw`, { headers: auth })).json()).toMatchObject({ externalId, withdrawn: false });
    }
    expect(await (await request.get(`/api/v1/members/${encodeURIComponent(lookalike)}/notifications`, { headers: auth })).json()).toHaveLength(1);
    expect((await request.get(`/api/v1/members/nobody-${id}-${encodeURIComponent("%")}/notifications`, { headers: auth })).status()).toBe(404);
  });

  test("refuses a missing or wrong token (401) and an oversized body (413)", async ({ request }) => {
    expect((await request.put("/api/v1/members", { data: { members: [] } })).status()).toBe(401);
    expect((await request.get(`/api/v1/members/x/notifications`, { headers: { authorization: "Bearer wrong" } })).status()).toBe(401);
    const huge = { members: [member("x", { externalId: "x".repeat(6 * 1024 * 1024) })] };
    expect((await request.put("/api/v1/members", { headers: auth, data: huge })).status()).toBe(413);
  });
});
