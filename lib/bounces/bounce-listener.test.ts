import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";

import { describe, expect, it } from "vitest";

import { startBounceListener } from "@/lib/bounces/start-bounce-listener";
import { SOFT_BOUNCES_TO_HARD } from "@/lib/bounces/record-bounces";
import { startChild } from "@/scripts/lib/stack";
import { sentNotices, setupBounceListenerContext, smtpExchange, stateOf, untouched } from "@/test/bounce-listener-context";
import { abuseReport, BOUNCE_DOMAIN, BOUNCE_LOCAL, deliveryStatusNotification, sendReport, verpFor } from "@/test/bounce-fixtures";
import { createDoneCampaigns } from "@/test/factories";


const context = setupBounceListenerContext();
const pool = () => context.pool();
const listener = () => context.listener();

describe("the bounce listener, over SMTP", () => {
  it("marks exactly the notice a DSN came back for as a hard bounce and suppresses its member, never keeping the address", async () => {
    const [bounced, other] = await sentNotices(2);
    await sendReport({ port: listener().port, to: [verpFor(bounced!.id)], raw: deliveryStatusNotification({ notificationId: bounced!.id, recipient: bounced!.email, status: "5.1.1" }) });

    const state = await stateOf(bounced!.id);
    expect(state).toMatchObject({ bounceKind: "hard", bounceStatus: "5.1.1", softBounces: 0, suppression: "hard_bounce", suppressedBy: bounced!.id });
    expect(state.bouncedAt).toBeInstanceOf(Date);
    expect(state.bounceDiagnostic).toBe("550 5.1.1 <[address]>: Recipient address rejected: User unknown in virtual mailbox table");
    expect(state.bounceDiagnostic).not.toContain("@");
    expect(await stateOf(other!.id)).toMatchObject(untouched);
  });

  it("records an ARF abuse report as a complaint and suppresses the member", async () => {
    const [reported, other] = await sentNotices(2);
    await sendReport({ port: listener().port, to: [verpFor(reported!.id)], raw: abuseReport({ notificationId: reported!.id, recipient: reported!.email }) });

    expect(await stateOf(reported!.id)).toMatchObject({ bounceKind: "complaint", bounceStatus: "abuse", bounceDiagnostic: "Reported by ExampleMail-Feedback/2.1", suppression: "complaint", suppressedBy: reported!.id });
    expect(await stateOf(other!.id)).toMatchObject(untouched);
  });

  it(`counts soft bounces and turns the notice into a hard bounce at the ${SOFT_BOUNCES_TO_HARD}rd`, async () => {
    const [notice] = await sentNotices(1);
    const softBounce = () =>
      deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "4.2.2", diagnostic: `smtp; 452 4.2.2 <${notice!.email}>: Mailbox full` });
    for (let bounce = 1; bounce < SOFT_BOUNCES_TO_HARD; bounce++) {
      await sendReport({ port: listener().port, to: [verpFor(notice!.id)], raw: softBounce() });
      expect(await stateOf(notice!.id)).toMatchObject({ ...untouched, softBounces: bounce });
    }
    await sendReport({ port: listener().port, to: [verpFor(notice!.id)], raw: softBounce() });
    expect(await stateOf(notice!.id)).toMatchObject({ bounceKind: "hard", bounceStatus: "4.2.2", bounceDiagnostic: "452 4.2.2 <[address]>: Mailbox full", softBounces: SOFT_BOUNCES_TO_HARD, suppression: "hard_bounce" });
  });

  it(`suppresses a member whose mailbox soft-bounces once at each of ${SOFT_BOUNCES_TO_HARD} notices (campaigns), not at ${SOFT_BOUNCES_TO_HARD - 1}`, async () => {
    const externalId = `bounce-${randomUUID()}`;
    const email = `${externalId}@example.eu`;
    const campaigns = await createDoneCampaigns({ db: pool(), count: SOFT_BOUNCES_TO_HARD });
    const { rows: notices } = await pool().query<{ id: string }>(
      `WITH m AS (INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $2, 'DE', '1980-01-01') RETURNING id)
       INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT m.id, c, 'email', 'sent', now() FROM m, unnest($3::uuid[]) AS c RETURNING id`,
      [externalId, email, campaigns],
    );
    const softBounce = (notificationId: string) =>
      sendReport({ port: listener().port, to: [verpFor(notificationId)], raw: deliveryStatusNotification({ notificationId, recipient: email, status: "4.2.2", diagnostic: `smtp; 452 4.2.2 <${email}>: Mailbox full` }) });
    for (const { id } of notices.slice(0, -1)) await softBounce(id);
    for (const { id } of notices) expect(await stateOf(id)).toMatchObject({ bounceKind: null, suppression: null });
    const last = notices.at(-1)!.id;
    await softBounce(last);
    expect(await stateOf(last)).toMatchObject({ bounceKind: "hard", bounceStatus: "4.2.2", softBounces: 1, suppression: "hard_bounce", suppressedBy: last });
  });

  it("changes nothing when the same report arrives twice", async () => {
    const [soft, hard] = await sentNotices(2);
    const softReport = deliveryStatusNotification({ notificationId: soft!.id, recipient: soft!.email, status: "4.4.1", diagnostic: "smtp; 421 4.4.1 Connection timed out" });
    await sendReport({ port: listener().port, to: [verpFor(soft!.id)], raw: softReport });
    await sendReport({ port: listener().port, to: [verpFor(soft!.id)], raw: softReport });
    expect(await stateOf(soft!.id)).toMatchObject({ ...untouched, softBounces: 1 });

    const hardReport = deliveryStatusNotification({ notificationId: hard!.id, recipient: hard!.email, status: "5.1.1" });
    await sendReport({ port: listener().port, to: [verpFor(hard!.id)], raw: hardReport });
    const first = await stateOf(hard!.id);
    // A second listener process (no memory of the first report) must agree.
    const second = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN });
    try {
      await sendReport({ port: second.port, to: [verpFor(hard!.id)], raw: hardReport });
    } finally {
      await second.stop();
    }
    expect(await stateOf(hard!.id)).toEqual(first);
    const { rows } = await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "EmailSuppression" WHERE "memberId" = $1`, [first.memberId]);
    expect(rows[0]!.n).toBe(1);
  });

  it("counts a soft bounce once when the same DSN reaches two listeners (two MX hosts), at once or one after the other", async () => {
    const [notice] = await sentNotices(1);
    const to = [verpFor(notice!.id)];
    const raw = deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "4.2.2", diagnostic: "smtp; 452 4.2.2 Mailbox full" });
    const second = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN });
    try {
      await Promise.all([sendReport({ port: listener().port, to, raw }), sendReport({ port: second.port, to, raw })]);
      expect(await stateOf(notice!.id)).toMatchObject({ ...untouched, softBounces: 1 });
      await sendReport({ port: second.port, to, raw });
      await sendReport({ port: listener().port, to, raw });
    } finally {
      await second.stop();
    }
    expect(await stateOf(notice!.id)).toMatchObject({ ...untouched, softBounces: 1 });
  });

  it(`still turns ${SOFT_BOUNCES_TO_HARD} different soft DSNs into a hard bounce when they come through two listeners`, async () => {
    const [notice] = await sentNotices(1);
    const to = [verpFor(notice!.id)];
    const softBounce = () => deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "4.2.2", diagnostic: "smtp; 452 4.2.2 Mailbox full" });
    const second = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN });
    try {
      for (let bounce = 1; bounce <= SOFT_BOUNCES_TO_HARD; bounce++) await sendReport({ port: bounce % 2 === 0 ? second.port : listener().port, to, raw: softBounce() });
    } finally {
      await second.stop();
    }
    expect(await stateOf(notice!.id)).toMatchObject({ bounceKind: "hard", bounceStatus: "4.2.2", softBounces: SOFT_BOUNCES_TO_HARD, suppression: "hard_bounce", suppressedBy: notice!.id });
  });

  it("counts nothing more for a soft DSN delivered again after a restart; a new one still counts", async () => {
    const [notice] = await sentNotices(1);
    const to = [verpFor(notice!.id)];
    const softBounce = () => deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "4.4.1", diagnostic: "smtp; 421 4.4.1 Connection timed out" });
    const raw = softBounce();
    const before = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN });
    try {
      await sendReport({ port: before.port, to, raw });
    } finally {
      await before.stop();
    }
    const after = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN });
    try {
      await sendReport({ port: after.port, to, raw });
      expect(await stateOf(notice!.id)).toMatchObject({ ...untouched, softBounces: 1 });
      await sendReport({ port: after.port, to, raw: softBounce() });
    } finally {
      await after.stop();
    }
    expect(await stateOf(notice!.id)).toMatchObject({ ...untouched, softBounces: 2 });
  });

  it("refuses a recipient of another domain, a malformed VERP address or MAC and a plain address with 550", async () => {
    const [notice] = await sentNotices(1);
    const local = verpFor(notice!.id).split("@")[0]!;
    const refused = [
      `${BOUNCE_LOCAL}+${notice!.id}@elsewhere.test`,
      `${local}@elsewhere.test`,
      `${BOUNCE_LOCAL}+not-a-uuid@${BOUNCE_DOMAIN}`,
      `${BOUNCE_LOCAL}+${notice!.id.slice(0, -1)}@${BOUNCE_DOMAIN}`,
      `${local.slice(0, -1)}@${BOUNCE_DOMAIN}`,
      `${local}x@${BOUNCE_DOMAIN}`,
      `postmaster@${BOUNCE_DOMAIN}`,
      `someone+${notice!.id}@${BOUNCE_DOMAIN}`,
    ];
    for (const address of refused) {
      const replies = await smtpExchange(listener().port, ["EHLO mx.example.eu", "MAIL FROM:<>", `RCPT TO:<${address}>`, "QUIT"]);
      expect(replies[3], address).toMatch(/^550 /);
    }
    await expect(
      sendReport({ port: listener().port, to: [`${BOUNCE_LOCAL}+${notice!.id}@elsewhere.test`], raw: deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "5.1.1" }) }),
    ).rejects.toMatchObject({ responseCode: 550 });
    expect(await stateOf(notice!.id)).toMatchObject(untouched);
  });

  it("accepts and ignores garbage, delivery notices and reports for unknown notices, and keeps working", async () => {
    const [notice, target] = await sentNotices(2);
    const to = [verpFor(notice!.id)];
    const garbage = [
      "",
      "no headers at all, just words",
      "Subject: Out of office\r\n\r\nI am away until Monday.",
      "Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n\u0000\u0001\uFFFD Status: 9.9.9\r\n\r\n--x",
      "Content-Type: multipart/report; boundary=\"unterminated\r\n\r\n--unterminated\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: <script>",
      "Content-Type: multipart/mixed; boundary=a\r\n\r\n" + "--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n".repeat(200),
      `Content-Type: text/plain\r\n\r\n${"x".repeat(200_000)}`,
      deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "2.0.0", action: "delivered", diagnostic: "smtp; 250 2.0.0 Ok" }),
      abuseReport({ notificationId: notice!.id, recipient: notice!.email, feedbackType: "not-spam" }),
    ];
    for (const raw of garbage) await sendReport({ port: listener().port, to, raw });
    expect(await stateOf(notice!.id)).toMatchObject(untouched);

    // A well-formed (and signed) report for a notice that does not exist is accepted and changes nothing.
    const unknown = randomUUID();
    await sendReport({ port: listener().port, to: [verpFor(unknown)], raw: deliveryStatusNotification({ notificationId: unknown, recipient: "nobody@example.eu", status: "5.1.1" }) });

    // Still listening, and still recording.
    await sendReport({ port: listener().port, to: [verpFor(target!.id)], raw: deliveryStatusNotification({ notificationId: target!.id, recipient: target!.email, status: "5.7.1" }) });
    expect(await stateOf(target!.id)).toMatchObject({ bounceKind: "rejected", bounceStatus: "5.7.1" });
  });

  it("refuses a message over the size limit with 552, and stores nothing", async () => {
    const [notice] = await sentNotices(1);
    const huge = deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "5.1.1" }).replace("This is the mail system", `${"y".repeat(1_100_000)}\r\nThis is the mail system`);
    // Raw SMTP: nodemailer would refuse to send it itself, having read the advertised SIZE.
    const replies = await smtpExchange(listener().port, ["EHLO mx.example.eu", "MAIL FROM:<>", `RCPT TO:<${verpFor(notice!.id)}>`, "DATA", `${huge}\r\n.`, "QUIT"]);
    expect(replies[5]).toMatch(/^552 /);
    expect(await stateOf(notice!.id)).toMatchObject(untouched);
  });

  it("answers 451 while the database is unreachable, so the sender keeps the report and tries again, and keeps running (npm run bounces)", async () => {
    // A port nothing listens on, for the process's own listener.
    const probe = createServer().listen(0, "127.0.0.1");
    await once(probe, "listening");
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));

    let ready = () => {};
    const started = new Promise<void>((resolve) => (ready = resolve));
    const listenerProcess = startChild({
      name: "bounces",
      command: process.execPath,
      args: ["--import", "tsx", "scripts/bounces.ts"],
      env: { TSX_TSCONFIG_PATH: "tsconfig.scripts.json", DATABASE_URL: "postgresql://postgres@127.0.0.1:1/unreachable", BOUNCE_DOMAIN, BOUNCE_LOCAL, BOUNCE_SMTP_PORT: String(port) },
      logs: false,
      onLine: (line) => line.includes('"bounces_ready"') && ready(),
    });
    try {
      await started;
      const notificationId = randomUUID();
      const raw = deliveryStatusNotification({ notificationId, recipient: "anna@example.eu", status: "5.1.1" });
      for (let attempt = 0; attempt < 2; attempt++) await expect(sendReport({ port, to: [verpFor(notificationId)], raw })).rejects.toMatchObject({ responseCode: 451 });
      expect(listenerProcess.child.exitCode).toBeNull();
    } finally {
      await listenerProcess.stop();
    }
  });
});

