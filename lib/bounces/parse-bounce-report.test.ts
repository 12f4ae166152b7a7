import { describe, expect, it } from "vitest";

import { DIAGNOSTIC_MAX, parseBounceReport } from "@/lib/bounces/parse-bounce-report";
import { abuseReport, deliveryStatusNotification } from "@/test/bounce-fixtures";

const notificationId = "3f2c8a4e-1b7d-4c9e-8f0a-5d6e7f8a9b0c";
const recipient = "anna.muster@example.eu";

const report = (parts: string[], type = "delivery-status") =>
  [`Content-Type: multipart/report; report-type=${type}; boundary="b"`, "", ...parts.flatMap((part) => ["--b", part]), "--b--", ""].join("\r\n");

describe("reading a bounce report", () => {
  it("reads Postfix's DSN: a hard bounce, its status and its diagnostic without the address", async () => {
    expect(await parseBounceReport(deliveryStatusNotification({ notificationId, recipient, status: "5.1.1" }))).toEqual({
      kind: "hard",
      status: "5.1.1",
      diagnostic: "550 5.1.1 <[address]>: Recipient address rejected: User unknown in virtual mailbox table",
    });
  });

  it("takes the status, not the action: a 4.x.x the MTA gave up on is still soft; 2.x.x is nothing", async () => {
    expect(await parseBounceReport(deliveryStatusNotification({ notificationId, recipient, status: "4.4.7", action: "failed", diagnostic: "smtp; 421 4.4.7 Timed out" }))).toMatchObject({ kind: "soft", status: "4.4.7" });
    expect(await parseBounceReport(deliveryStatusNotification({ notificationId, recipient, status: "2.0.0", action: "delivered", diagnostic: "smtp; 250 ok" }))).toBeNull();
  });

  it("calls only a status that says the address is wrong hard (5.1.x bad mailbox or domain, 5.2.1 disabled)", async () => {
    for (const status of ["5.1.0", "5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10", "5.2.1"]) {
      expect(await parseBounceReport(deliveryStatusNotification({ notificationId, recipient, status }))).toMatchObject({ kind: "hard", status });
    }
  });

  it("calls a policy or sending-side 5.x.x rejected: a blocklisted IP, DMARC, content, a full system, the sender's own address", async () => {
    for (const status of ["5.7.1", "5.7.26", "5.4.1", "5.3.4", "5.2.3", "5.5.0", "5.6.0", "5.1.7", "5.1.8", "5.0.0"]) {
      expect(await parseBounceReport(deliveryStatusNotification({ notificationId, recipient, status, diagnostic: `smtp; 550 ${status} refused` }))).toMatchObject({ kind: "rejected", status });
    }
  });

  it("calls a full mailbox (5.2.2, the person may empty it) soft, and any Action: delayed a delay, whatever its status", async () => {
    expect(await parseBounceReport(deliveryStatusNotification({ notificationId, recipient, status: "5.2.2", diagnostic: "smtp; 552 5.2.2 Mailbox full" }))).toMatchObject({ kind: "soft", status: "5.2.2" });
    expect(await parseBounceReport(deliveryStatusNotification({ notificationId, recipient, status: "4.4.7", action: "delayed", diagnostic: "smtp; 421 4.4.7 Still trying" }))).toMatchObject({ kind: "delayed", status: "4.4.7" });
    expect(await parseBounceReport(deliveryStatusNotification({ notificationId, recipient, status: "5.1.1", action: "Delayed", diagnostic: "smtp; 450 try later" }))).toMatchObject({ kind: "delayed" });
  });

  it("reads a status with a comment, a folded diagnostic, base64 and SMTPUTF8 (global) reports, and keeps the worst recipient", async () => {
    const fields = "Reporting-MTA: dns; mx.example.eu\r\n\r\nFinal-Recipient: rfc822; a@example.eu\r\nAction: delayed\r\nStatus: 4.2.2\r\n\r\nFinal-Recipient: rfc822; b@example.eu\r\nAction: failed\r\nStatus: 5.2.1 (mailbox disabled)\r\nDiagnostic-Code: smtp; 550-5.2.1 The account\r\n <b@example.eu> is disabled\r\n";
    expect(await parseBounceReport(report([`Content-Type: message/delivery-status\r\n\r\n${fields}`]))).toEqual({ kind: "hard", status: "5.2.1", diagnostic: "550-5.2.1 The account <[address]> is disabled" });
    expect(await parseBounceReport(report([`Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(fields).toString("base64")}`]))).toMatchObject({ status: "5.2.1" });
    expect(await parseBounceReport(report([`Content-Type: message/global-delivery-status\r\n\r\n${fields.replace("b@example.eu", "bé@exämple.eu")}`]))).toMatchObject({ kind: "hard" });
  });

  it("finds a report nested in a multipart/mixed, and cuts a long diagnostic", async () => {
    const long = `smtp; 550 5.7.1 ${"blocked ".repeat(200)}`;
    const inner = report([`Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; a@b.eu\r\nStatus: 5.7.1\r\nDiagnostic-Code: ${long}\r\n`]).replace(/"b"/, '"inner"').replace(/--b/g, "--inner");
    const outer = `Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\nForwarded.\r\n--outer\r\n${inner}\r\n--outer--\r\n`;
    const parsed = await parseBounceReport(outer);
    expect(parsed).toMatchObject({ kind: "rejected", status: "5.7.1" });
    expect(parsed!.diagnostic).toHaveLength(DIAGNOSTIC_MAX);
  });

  it("reads an ARF report as a complaint of its feedback type, but not not-spam or auth-failure", async () => {
    expect(await parseBounceReport(abuseReport({ notificationId, recipient }))).toEqual({ kind: "complaint", status: "abuse", diagnostic: "Reported by ExampleMail-Feedback/2.1" });
    expect(await parseBounceReport(abuseReport({ notificationId, recipient, feedbackType: "fraud" }))).toMatchObject({ kind: "complaint", status: "fraud" });
    expect(await parseBounceReport(abuseReport({ notificationId, recipient, feedbackType: "not-spam" }))).toBeNull();
    expect(await parseBounceReport(abuseReport({ notificationId, recipient, feedbackType: "auth-failure" }))).toBeNull();
  });

  it("does not read a DSN quoted inside a forwarded message, nor anything that is not a report", async () => {
    const dsn = deliveryStatusNotification({ notificationId, recipient, status: "5.1.1" });
    expect(await parseBounceReport(`Content-Type: multipart/mixed; boundary=f\r\n\r\n--f\r\nContent-Type: message/rfc822\r\n\r\n${dsn}\r\n--f--\r\n`)).toBeNull();
    for (const raw of ["", "\r\n\r\n", "Subject: hi\r\n\r\nI am on holiday.", "Content-Type: multipart/report; boundary=\r\n\r\n--\r\n", "\u0000".repeat(1000)]) expect(await parseBounceReport(raw)).toBeNull();
  });
});
