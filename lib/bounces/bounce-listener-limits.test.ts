import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { startBounceListener } from "@/lib/bounces/start-bounce-listener";
import { closePgPool } from "@/lib/pg";
import { BOUNCE_DOMAIN, BOUNCE_LOCAL, verpFor } from "@/test/bounce-fixtures";

type TListener = Awaited<ReturnType<typeof startBounceListener>>;

const started: TListener[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const listener of started.splice(0)) await listener.stop();
  await closePgPool();
});

const listen = async (limits: Parameters<typeof startBounceListener>[0]["limits"]) => {
  const listener = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN, limits });
  started.push(listener);
  return listener;
};

/**
 * A raw SMTP client: `reply()` resolves with the next complete reply line (continuation lines of a
 * multi-line reply skipped), or with "closed" once the server has closed the connection and nothing
 * is left to read. `closedAt` resolves with the time the server's side ended.
 */
const openSession = (port: number) => {
  const socket = connect({ host: "127.0.0.1", port });
  sockets.push(socket);
  // Writes after the server hung up fail with EPIPE or ECONNRESET: that is what these tests provoke.
  socket.on("error", () => undefined);
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = "";
  let ended = false;
  const deliver = () => {
    while (waiting.length && (lines.length || ended)) waiting.shift()!(lines.shift() ?? "closed");
  };
  socket.on("data", (chunk) => {
    buffer += chunk.toString("latin1");
    const complete = buffer.split("\r\n");
    buffer = complete.pop()!;
    lines.push(...complete.filter((line) => !/^\d{3}-/.test(line)));
    deliver();
  });
  const closedAt = new Promise<number>((resolve) =>
    socket.once("end", () => {
      ended = true;
      deliver();
      resolve(Date.now());
    }),
  );
  return {
    socket,
    closedAt,
    reply: () => new Promise<string>((resolve) => (waiting.push(resolve), deliver())),
    write: (text: string) => new Promise<void>((resolve) => socket.write(text, () => resolve())),
  };
};

/** A session through EHLO, MAIL, RCPT and DATA, ready for the message. */
const openData = async (port: number) => {
  const session = openSession(port);
  expect(await session.reply()).toMatch(/^220 /);
  for (const command of ["EHLO mx.example.eu", "MAIL FROM:<>", `RCPT TO:<${verpFor(randomUUID())}>`]) {
    await session.write(`${command}\r\n`);
    expect(await session.reply(), command).toMatch(/^250 /);
  }
  await session.write("DATA\r\n");
  expect(await session.reply()).toMatch(/^354 /);
  return session;
};

/** Resolves with `value` after `ms`: what a test sees when the server has not answered in time. */
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms).unref());

describe("the bounce listener's limits", () => {
  it("answers 552 as soon as a message passes the size limit, before its end, and closes the connection", async () => {
    const maxReportBytes = 20_000;
    const listener = await listen({ maxReportBytes });
    const session = await openData(listener.port);

    // A little past the limit, and no final dot: a listener that waits for the end never answers.
    await session.write(`Subject: a report far too large\r\n\r\n${`${"y".repeat(998)}\r\n`.repeat(25)}`);
    const reply = await Promise.race([session.reply(), after(3_000, "no reply within 3 s")]);

    expect(reply).toMatch(/^552 5\.3\.4 /);
    expect(await Promise.race([session.closedAt.then(() => "closed"), after(3_000, "still open")])).toBe("closed");
  });

  it("cuts a client off at the DATA deadline even while it keeps trickling bytes", async () => {
    const dataMs = 600;
    // Idle far longer than the deadline: each trickled byte resets it, the deadline holds anyway.
    const listener = await listen({ dataMs, idleMs: 10_000 });
    const session = await openData(listener.port);
    const dataStarted = Date.now();
    const trickle = setInterval(() => session.socket.writable && session.socket.write("x"), 100);
    try {
      const reply = await Promise.race([session.reply(), after(3_000, "no reply within 3 s")]);
      expect(reply).toMatch(/^421 /);
      const closedAfter = (await session.closedAt) - dataStarted;
      expect(closedAfter).toBeGreaterThanOrEqual(dataMs - 50);
      expect(closedAfter).toBeLessThan(dataMs + 1_500);
    } finally {
      clearInterval(trickle);
    }
  });

  it("ends a session at its deadline, however busy the client keeps it", async () => {
    const sessionMs = 800;
    const listener = await listen({ sessionMs, idleMs: 10_000 });
    const session = openSession(listener.port);
    const connected = Date.now();
    expect(await session.reply()).toMatch(/^220 /);
    let last = "";
    while (!last.startsWith("421") && last !== "closed" && Date.now() - connected < 3_000) {
      await session.write("NOOP\r\n");
      last = await session.reply();
    }
    expect(last).toMatch(/^421 /);
    expect(Date.now() - connected).toBeGreaterThanOrEqual(sessionMs - 50);
    expect(await Promise.race([session.closedAt.then(() => "closed"), after(3_000, "still open")])).toBe("closed");
  });

  it("closes an idle session at the idle timeout", async () => {
    const listener = await listen({ idleMs: 300 });
    const session = openSession(listener.port);
    expect(await session.reply()).toMatch(/^220 /);
    expect(await Promise.race([session.reply(), after(3_000, "no reply within 3 s")])).toMatch(/^421 /);
  });

  it("answers the connection past the per-address cap 421, and takes one again once a slot is free", async () => {
    const maxConnectionsPerIp = 3;
    const listener = await listen({ maxConnectionsPerIp });
    const open = Array.from({ length: maxConnectionsPerIp }, () => openSession(listener.port));
    for (const session of open) expect(await session.reply()).toMatch(/^220 /);

    const refused = openSession(listener.port);
    expect(await refused.reply()).toMatch(/^421 /);
    expect(await Promise.race([refused.closedAt.then(() => "closed"), after(3_000, "still open")])).toBe("closed");

    // One of them leaves: its slot is free for the next.
    await open[0]!.write("QUIT\r\n");
    expect(await open[0]!.reply()).toMatch(/^221 /);
    await open[0]!.closedAt;
    let next = "";
    // The listener learns of the close a moment after the client sees it.
    for (let attempt = 0; attempt < 20 && !next.startsWith("220"); attempt++) {
      if (attempt) await after(50, null);
      next = await openSession(listener.port).reply();
    }
    expect(next).toMatch(/^220 /);
  });

  it("answers 421 past its total cap of connections", async () => {
    const listener = await listen({ maxConnections: 2, maxConnectionsPerIp: 10 });
    const open = [openSession(listener.port), openSession(listener.port)];
    for (const session of open) expect(await session.reply()).toMatch(/^220 /);
    expect(await openSession(listener.port).reply()).toMatch(/^421 /);
  });
});
