import "server-only";

import type { SMTPServer, SMTPServerSession } from "smtp-server";

import { visitorBucket } from "@/lib/http/visitor-bucket";

/** What one sender may take of the bounce listener; each a parameter of startBounceListener. */
export type TBounceListenerLimits = {
  /** A report quotes the original message's headers, often the whole notice (some tens of kB): far larger is not ours. */
  maxReportBytes: number;
  /** Connections at once, from everyone. Each may hold up to maxReportBytes in memory, so this bounds that too (100 MB). */
  maxConnections: number;
  /** Connections at once from one address (an IPv6 /64): a mail server sends on a few. */
  maxConnectionsPerIp: number;
  /** A whole session, however busy: a report takes seconds, a sender with many reopens. */
  sessionMs: number;
  /** From DATA to the final dot: a 1 MB report takes seconds even on a slow link. */
  dataMs: number;
  /** With nothing received while the listener waits for the client (smtp-server's socketTimeout). */
  idleMs: number;
  /** How long stop() lets sessions finish before it tells them 421 (smtp-server's closeTimeout). */
  closeMs: number;
};

export const DEFAULT_BOUNCE_LISTENER_LIMITS: TBounceListenerLimits = {
  maxReportBytes: 1_000_000,
  maxConnections: 100,
  maxConnectionsPerIp: 10,
  sessionMs: 5 * 60_000,
  dataMs: 60_000,
  idleMs: 60_000,
  closeMs: 30_000,
};

export const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

type TSessionState = { sender: string; deadline: NodeJS.Timeout; dataDeadline?: NodeJS.Timeout };

/**
 * The per-sender cap and the session and DATA deadlines, kept by session id. smtp-server has no
 * reply of its own for either deadline, nor any reply before a message's final dot, so these answer
 * on the session's connection (its public `send` and `close`) and close it.
 */
export const bounceListenerLimits = ({ server, limits }: { server: () => SMTPServer; limits: TBounceListenerLimits }) => {
  const sessions = new Map<string, TSessionState>();
  const perSender = new Map<string, number>();

  /** Answers `code` and closes the session's connection; nothing once it is closed. */
  const hangUp = (session: SMTPServerSession, code: number, message: string) => {
    for (const connection of server().connections) {
      if (connection.session !== session) continue;
      connection.send(code, message);
      connection.close();
    }
  };

  return {
    onConnect: (session: SMTPServerSession, callback: (error?: Error) => void) => {
      const sender = visitorBucket(session.remoteAddress) ?? session.remoteAddress;
      const open = perSender.get(sender) ?? 0;
      if (open >= limits.maxConnectionsPerIp) return callback(smtpError(421, "4.7.0 Too many connections from your address; try again later"));
      perSender.set(sender, open + 1);
      const deadline = setTimeout(() => hangUp(session, 421, "4.4.2 Session time limit reached; closing the connection"), limits.sessionMs).unref();
      sessions.set(session.id, { sender, deadline });
      callback();
    },
    onClose: (session: SMTPServerSession) => {
      const state = sessions.get(session.id);
      if (!state) return;
      sessions.delete(session.id);
      clearTimeout(state.deadline);
      clearTimeout(state.dataDeadline);
      const open = (perSender.get(state.sender) ?? 1) - 1;
      if (open > 0) perSender.set(state.sender, open);
      else perSender.delete(state.sender);
    },
    /** Starts the DATA deadline; the returned function stops it once the message is in. */
    startData: (session: SMTPServerSession) => {
      const state = sessions.get(session.id);
      const timer = setTimeout(() => hangUp(session, 421, "4.4.2 The message took too long to arrive; closing the connection"), limits.dataMs).unref();
      if (state) state.dataDeadline = timer;
      return () => clearTimeout(timer);
    },
    /**
     * Answers 552 the moment a message passes the limit. RFC 5321 has the reply follow the final dot,
     * and smtp-server sends none before it: it would read on for as long as the client sends. So this
     * answers at once and closes the connection: a sender that reads the reply (as MTAs that pipeline
     * do) sees the 552 and gives up; one that does not sees the connection close, and at worst tries
     * again later, which costs us at most the limit's bytes each time instead of whatever it sends.
     * smtp-server discards what still arrives and destroys the socket a few seconds later.
     */
    refuseOversized: (session: SMTPServerSession) => hangUp(session, 552, `5.3.4 A report must be at most ${limits.maxReportBytes} bytes`),
  };
};
