import "server-only";

import { createHash } from "node:crypto";
import type { AddressInfo, Socket } from "node:net";

import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

import { createBounceBatcher } from "@/lib/bounces/bounce-batcher";
import { bounceListenerLimits, DEFAULT_BOUNCE_LISTENER_LIMITS, smtpError, type TBounceListenerLimits } from "@/lib/bounces/bounce-listener-limits";
import { parseBounceReport, type TBounceReport } from "@/lib/bounces/parse-bounce-report";
import { BOUNCE_LISTENER_ACTOR } from "@/lib/bounces/record-bounces";
import { reportMessage, type TReportMessage } from "@/lib/bounces/report-message";
import { screenBounceReport } from "@/lib/bounces/screen-bounce-report";
import { parseVerpAddress } from "@/lib/bounces/verp-address";
import { type TBounceBatchItem, writeBounceBatch } from "@/lib/bounces/write-bounce-batch";
import { logger } from "@/lib/logger";

// A report is about one notice, and a notice has one envelope sender: a genuine report has one
// recipient. A second RCPT gets 452, which tells a sender to send it on its own, later (RFC 5321
// 3.3), so nothing genuine is lost; a forger cannot aim one report at many notices.
const MAX_RECIPIENTS = 1;

/** The message, or null the moment it passes the size limit: nothing more is read or kept (the caller answers 552 then). */
const readMessage = async (stream: SMTPServerDataStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    if (stream.sizeExceeded) return null;
    chunks.push(chunk as Buffer);
  }
  return stream.sizeExceeded ? null : Buffer.concat(chunks);
};

const readReport = async (message: TReportMessage): Promise<TBounceReport | null> => {
  try {
    return await parseBounceReport(message);
  } catch {
    // The parser is written not to throw; if it ever does, the message is just not a report we read.
    return null;
  }
};

/**
 * The inbound SMTP server for bounces and complaints (`npm run bounces`). It takes mail only for
 * `local+<notification id>.<day>.<mac>@domain` (VERP, lib/bounces/verp-address.ts) and refuses any
 * other recipient with 550, so it is no open relay and reads no address: the notice is the one
 * named by the envelope recipient. A report is answered 250 once stored; anything that is not a
 * report (or names an unknown notice) is answered 250 and dropped, so senders do not retry it, and
 * so is a report it does not believe (a forged MAC, too old, quoting another message: see
 * lib/bounces/screen-bounce-report.ts), which is counted in /api/metrics. A well-formed but wrong
 * MAC is taken at RCPT like a right one, so the listener is no oracle for guessing MACs. A
 * database failure is answered 451, so senders try again. With `tls` (a PEM key and certificate)
 * it offers STARTTLS, so senders that can encrypt the report on its way do; without, it offers
 * none rather than a certificate no one could trust.
 */
export const startBounceListener = async ({
  port,
  host,
  local,
  domain,
  tls,
  now = () => new Date(),
  limits: limitsGiven,
}: {
  port: number;
  host?: string;
  local: string;
  domain: string;
  tls?: { key: Buffer; cert: Buffer };
  /** The clock reports are judged by (their age, the old format's grace); tests set it. */
  now?: () => Date;
  /** Size, connections (in all and per sender), session, DATA and idle deadlines: defaults in DEFAULT_BOUNCE_LISTENER_LIMITS; tests set small ones. */
  limits?: Partial<TBounceListenerLimits>;
}) => {
  const limits = { ...DEFAULT_BOUNCE_LISTENER_LIMITS, ...limitsGiven };
  const guard = bounceListenerLimits({ server: () => server, limits });
  const batcher = createBounceBatcher({
    write: (items: TBounceBatchItem[]) => writeBounceBatch({ actor: BOUNCE_LISTENER_ACTOR, items }),
    onWritten: (counts, reports) => logger().info({ event: "bounces_recorded", reports, ...counts }, "bounces recorded"),
  });
  /** A report to record or a drop to count, answered 250 once written, 451 if the database fails. */
  const store = async (item: TBounceBatchItem) => {
    try {
      await batcher.add(item);
    } catch (error) {
      logger().error({ event: "bounce_store_failed", error }, "a bounce report could not be stored");
      throw smtpError(451, "4.3.0 The report could not be stored; try again later");
    }
  };
  const receive = async (stream: SMTPServerDataStream, session: SMTPServerSession) => {
    const raw = await readMessage(stream).finally(guard.startData(session));
    if (!raw) {
      guard.refuseOversized(session);
      throw smtpError(552, `5.3.4 A report must be at most ${limits.maxReportBytes} bytes`);
    }
    // One recipient (MAX_RECIPIENTS), taken at RCPT as one of ours.
    // Parsed at most once, by whichever of screening and reading needs the parts first.
    const message = reportMessage(raw);
    const screened = await screenBounceReport({ recipient: session.envelope.rcptTo[0]!.address, message, local, domain, now: now() });
    if ("dropped" in screened) return store(screened);
    const report = await readReport(message);
    if (!report) {
      logger().info({ event: "bounce_ignored", reason: "not a delivery status notification or abuse report", bytes: raw.length }, "message ignored");
      return;
    }
    // Names this report: sent again (its sender missed our 250), here, to another MX host or after a
    // restart, it is the same bytes, and the database counts it once (lib/bounces/record-bounces.ts).
    const digest = createHash("sha1").update(raw).digest("base64url");
    return store({ notificationId: screened.notificationId, digest, ...report });
  };

  const server = new SMTPServer({
    authOptional: true,
    // Reports come from other mail servers; nobody logs in. Without a certificate of ours, smtp-server
    // would offer STARTTLS with its own built-in one: offer none instead.
    disabledCommands: tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    ...(tls && { key: tls.key, cert: tls.cert }),
    size: limits.maxReportBytes,
    maxClients: limits.maxConnections,
    socketTimeout: limits.idleMs,
    closeTimeout: limits.closeMs,
    logger: false,
    onConnect: guard.onConnect,
    onClose: guard.onClose,
    onRcptTo: (address, session, callback) => {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError(452, "4.5.3 Too many recipients"));
      if (parseVerpAddress(address.address, { local, domain }) === null) return callback(smtpError(550, "5.1.1 No such bounce address"));
      callback();
    },
    onData: (stream, session, callback) => {
      receive(stream, session).then(
        () => callback(),
        (error: Error) => callback(error),
      );
    },
  });
  // Replies go out at once: with Nagle's algorithm a reply can wait for the sender's delayed ACK.
  server.server.on("connection", (socket: Socket) => socket.setNoDelay(true));
  // A sender that hangs up mid-session is routine; anything else is worth a line.
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") logger().warn({ event: "bounce_listener_error", error }, "SMTP session error");
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    if (host) server.listen(port, host, () => resolve());
    else server.listen(port, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    /** Stops taking connections, lets sessions finish, then waits for the last write. */
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await batcher.flush();
    },
  };
};
