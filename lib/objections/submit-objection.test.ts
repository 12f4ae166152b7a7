import { randomBytes, randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { LINK_HOLDER, PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { forwardObjection } from "@/lib/objections/forward-objection";
import { submitObjection } from "@/lib/objections/submit-objection";
import { closePgPool, pgPool } from "@/lib/pg";
import { createNotification } from "@/test/factories";

// This file's receipt jobs expire after this, not pg-boss's default 900 s (read once env() is first called, after the imports).
const RECEIPT_EXPIRE_SECONDS = 37;
process.env.RECEIPT_EXPIRE_SECONDS = String(RECEIPT_EXPIRE_SECONDS);

const createMember = async () => {
  const externalId = `test-${randomUUID()}`;
  return db().member.create({
    data: { externalId, email: `${externalId}@example.eu`, country: "IE", birthDate: new Date("1990-05-17"), locale: "en" },
  });
};

const createEmailNotification = (memberId: string) => createNotification({ db: pgPool(), memberId });

const receiptJobs = (objectionId: string) =>
  db().$queryRawUnsafe<{ data: { objectionId: string } }[]>(
    `SELECT data FROM pgboss.job WHERE name = $1 AND data->>'objectionId' = $2`,
    QUEUES.objectionReceipt.name,
    objectionId,
  );

/** Receipt jobs for objections of this member; a job for an objection that was never stored counts too. */
const receiptJobsForMember = (memberId: string) =>
  db().$queryRawUnsafe<{ data: { objectionId: string } }[]>(
    `SELECT j.data FROM pgboss.job j
      WHERE j.name = $1
        AND (EXISTS (SELECT 1 FROM "Objection" o WHERE o.id::text = j.data->>'objectionId' AND o."memberId" = $2::uuid)
             OR NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o.id::text = j.data->>'objectionId'))`,
    QUEUES.objectionReceipt.name,
    memberId,
  );

const storedFor = async (memberId: string) => ({
  objections: await db().objection.findMany({ where: { memberId } }),
  events: await db().objectionEvent.findMany({ where: { objection: { memberId } } }),
  jobs: await receiptJobsForMember(memberId),
});

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

describe("submitObjection", () => {
  it("stores an effective objection with one 'created' event and one receipt job", async () => {
    const member = await createMember();
    const notification = await createEmailNotification(member.id);

    const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "notification", id: notification.id }, country: "IE", reason: "I did not agree to this." });

    expect(result.status).toBe("created");
    if (result.status === "unknown_subject") return;
    expect(result.objection).toMatchObject({
      memberId: member.id,
      notificationId: notification.id,
      email: member.email,
      country: "IE",
      source: "email_link",
      status: "effective",
      withdrawnAt: null,
    });
    expect(result.objection.effectiveAt).toBeInstanceOf(Date);

    const stored = await db().objection.findUniqueOrThrow({ where: { id: result.objection.id } });
    expect(stored.status).toBe("effective");
    expect(stored.effectiveAt).toEqual(result.objection.effectiveAt);

    const events = await db().objectionEvent.findMany({ where: { objectionId: result.objection.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "created", actorType: "member", actorId: member.id });

    const jobs = await receiptJobs(result.objection.id);
    expect(jobs).toEqual([{ data: { objectionId: result.objection.id } }]);
  });

  it("gives the receipt job RECEIPT_EXPIRE_SECONDS, after which a job whose worker died runs again", async () => {
    const member = await createMember();
    const notification = await createEmailNotification(member.id);
    const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "notification", id: notification.id }, country: "IE" });
    if (result.status === "unknown_subject") throw new Error("not stored");
    const jobs = await db().$queryRawUnsafe<{ seconds: number }[]>(
      `SELECT extract(epoch FROM expire_in)::int AS seconds FROM pgboss.job WHERE name = $1 AND data->>'objectionId' = $2`,
      QUEUES.objectionReceipt.name,
      result.objection.id,
    );
    expect(jobs).toEqual([{ seconds: RECEIPT_EXPIRE_SECONDS }]);
  });

  it("returns the stored objection on a second submission, without adding a row, an event or a job", async () => {
    const member = await createMember();
    const input = { actor: LINK_HOLDER, subject: { kind: "member" as const, id: member.id }, country: "IE", source: "direct" as const };

    const first = await submitObjection(input);
    const second = await submitObjection({ ...input, reason: "Second thoughts, same answer." });

    expect(first.status).toBe("created");
    expect(second.status).toBe("existing");
    if (first.status === "unknown_subject" || second.status === "unknown_subject") return;
    expect(second.objection.id).toBe(first.objection.id);
    expect(second.objection.reason).toBeNull();

    const stored = await storedFor(member.id);
    expect(stored.objections).toHaveLength(1);
    expect(stored.events).toHaveLength(1);
    expect(stored.jobs).toHaveLength(1);
  });

  it("stores exactly one objection, event and job when ten submissions for one member race", async () => {
    const member = await createMember();
    const notification = await createEmailNotification(member.id);

    const results = await Promise.all(Array.from({ length: 10 }, () => submitObjection({ actor: LINK_HOLDER, subject: { kind: "notification", id: notification.id }, country: "IE" })));

    const ids = new Set(results.map((result) => (result.status === "unknown_subject" ? null : result.objection.id)));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeTruthy();
    expect(results.filter((result) => result.status === "created")).toHaveLength(1);

    const stored = await storedFor(member.id);
    expect(stored.objections.map((objection) => objection.id)).toEqual([...ids]);
    expect(stored.events.filter((event) => event.type === "created")).toHaveLength(1);
    expect(stored.jobs).toEqual([{ data: { objectionId: [...ids][0] } }]);
  });

  it("stores the reason verbatim", async () => {
    const member = await createMember();
    const reason = `<script>alert("x")</script> & émoji 🙂\nline 2\t 'quoted' \\ ; DROP TABLE "Objection"; --`;

    const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, country: "DE", reason, source: "direct" });

    if (result.status === "unknown_subject") throw new Error("the member was not found");
    expect(result.objection.reason).toBe(reason);
    expect((await db().objection.findUniqueOrThrow({ where: { id: result.objection.id } })).reason).toBe(reason);
  });

  it("rejects a submission the database refuses and stores nothing for the member", async () => {
    const member = await createMember();

    await expect(
      submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, country: "us", source: "direct" }),
    ).rejects.toThrow();

    const stored = await storedFor(member.id);
    expect(stored).toEqual({ objections: [], events: [], jobs: [] });
  });

  it("stores neither the objection nor its event when enqueueing the receipt job fails", async () => {
    const member = await createMember();
    // A real fault at the last step: refuse the receipt job for this member's objection only,
    // after the objection has been written by the same statement.
    const fn = `test_refuse_receipt_job_${randomBytes(6).toString("hex")}`;
    await db().$executeRawUnsafe(`
      CREATE FUNCTION pgboss.${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM public."Objection" o
                   WHERE o.id::text = NEW.data->>'objectionId' AND o."memberId" = '${member.id}') THEN
          RAISE EXCEPTION 'receipt job refused by test';
        END IF;
        RETURN NEW;
      END;
      $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON pgboss.job FOR EACH ROW EXECUTE FUNCTION pgboss.${fn}()`);
    try {
      await expect(
        submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, country: "IE", source: "direct" }),
      ).rejects.toThrow(/receipt job refused by test/);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER ${fn} ON pgboss.job`);
      await db().$executeRawUnsafe(`DROP FUNCTION pgboss.${fn}()`);
    }

    expect(await storedFor(member.id)).toEqual({ objections: [], events: [], jobs: [] });

    // Nothing half-stored stands in the way of trying again.
    const retry = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, country: "IE", source: "direct" });
    expect(retry.status).toBe("created");
    const stored = await storedFor(member.id);
    expect(stored.objections).toHaveLength(1);
    expect(stored.events).toHaveLength(1);
    expect(stored.jobs).toHaveLength(1);
  });

  it("takes the source from the channel of the notification whose link was used", async () => {
    const member = await createMember();
    const notification = await createNotification({ db: pgPool(), memberId: member.id, channel: "in_app" });

    const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "notification", id: notification.id }, country: "IE" });

    expect(result.status === "created" && result.objection).toMatchObject({ source: "in_app_link", notificationId: notification.id, email: member.email });
  });

  it("stores nothing for a subject that does not exist", async () => {
    const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "notification", id: randomUUID() }, country: "IE" });
    expect(result).toEqual({ status: "unknown_subject" });
  });
});

describe("forwardObjection", () => {
  it("records an objection the platform forwards as the platform's, and one the member makes as the member's", async () => {
    const member = await createMember();
    const forwarded = await forwardObjection({ actor: PLATFORM_ACTOR, externalId: member.externalId, source: "gpc" });
    expect(forwarded).toMatchObject({ created: true, objection: { memberId: member.id, source: "gpc", status: "effective" } });
    const { events, jobs } = await storedFor(member.id);
    expect(events.map(({ type, actorType, actorId }) => ({ type, actorType, actorId }))).toEqual([{ type: "created", actorType: "platform", actorId: null }]);
    expect(jobs).toHaveLength(1);

    // A repeat changes nothing: still one event, the platform's.
    expect(await forwardObjection({ actor: PLATFORM_ACTOR, externalId: member.externalId, source: "in_app_setting" })).toMatchObject({ created: false, objection: { id: forwarded!.objection.id } });
    expect((await storedFor(member.id)).events).toHaveLength(1);

    const self = await createMember();
    const made = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: self.id }, source: "direct", country: "IE" });
    expect(made.status).toBe("created");
    expect((await storedFor(self.id)).events.map(({ actorType, actorId }) => ({ actorType, actorId }))).toEqual([{ actorType: "member", actorId: self.id }]);
  });

  it("refuses any actor but the platform, and records nothing", async () => {
    const member = await createMember();
    const admin = { kind: "admin", id: randomUUID(), role: "admin" } as const;
    await expect(forwardObjection({ actor: admin, externalId: member.externalId, source: "gpc" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(submitObjection({ actor: admin, subject: { kind: "member", id: member.id }, source: "direct", country: "IE" })).rejects.toMatchObject({ code: "forbidden" });
    expect((await storedFor(member.id)).events).toEqual([]);
  });

  it("records nothing for an external id no member has", async () => {
    expect(await forwardObjection({ actor: PLATFORM_ACTOR, externalId: `missing-${randomUUID()}`, source: "gpc" })).toBeNull();
  });
});
