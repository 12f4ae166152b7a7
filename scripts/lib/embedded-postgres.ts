// The demo's embedded PostgreSQL: PGlite (one PostgreSQL backend compiled to WebAssembly) served
// over the wire protocol to any number of client connections.
//
// PGlite has exactly one session. pglite-socket forwards each client message to it on its own,
// so connections share that session's state and interleave mid-statement: one connection's
// named prepared statement collides with another's (42P05 "already exists", which is how the
// demo's rate limiter broke), and one connection's Bind can land on another's unnamed statement.
// This server gives every connection what PostgreSQL gives it:
// - a unit of work (a simple query, or extended-protocol messages up to Sync or Flush) reaches
//   the engine whole, never interleaved with another connection's messages;
// - a connection that opens a transaction, or stops at a Flush (a cursor), holds the engine until
//   its transaction ends, the way a row lock makes others wait on a real server;
// - named prepared statements and portals are renamed per connection, and a closing connection's
//   statements are deallocated and its open transaction rolled back.
// Session settings (`SET`), session advisory locks and temporary tables would still be shared:
// nothing in the app or worker uses them (transaction-scoped locks and `SET LOCAL` are fine).
import net from "node:net";

import type { PGlite } from "@electric-sql/pglite";

import { createEngineLock, type TEngineLock } from "./engine-lock";
import { CANCEL_REQUEST, createReplyScanner, cString, GSSENC_REQUEST, message, PROTOCOL_VERSION_3, readCString, renameNames, SSL_REQUEST, UNIT_END } from "./pg-wire-protocol";

const serveConnection = ({ db, lock, socket, sessionId }: { db: PGlite; lock: TEngineLock; socket: net.Socket; sessionId: number }) => {
  let buffered = Buffer.alloc(0);
  let started = false;
  let closed = false;
  let pending: Buffer[] = [];
  const preparedStatements = new Set<string>();
  const rename = (name: string) => `c${sessionId}_${name}`;
  let work = Promise.resolve();

  /** Runs bytes on the engine while holding it; keeps holding it unless the session is idle after. */
  const execute = async ({ bytes, reply }: { bytes: Buffer; reply: boolean }) => {
    await lock.acquire(sessionId);
    // A client that left while waiting for the engine: its clean-up releases the engine.
    if (closed && reply) return null;
    const scanner = createReplyScanner();
    try {
      await db.runExclusive(() =>
        db.execProtocolRawStream(new Uint8Array(bytes), {
          onRawData: (data) => {
            const chunk = Buffer.from(data);
            scanner.feed(chunk);
            if (reply && !socket.destroyed) socket.write(chunk);
          },
        }),
      );
    } catch (error) {
      lock.release(sessionId);
      throw error;
    }
    const status = scanner.takeStatus();
    if (status === "I") lock.release(sessionId);
    return status;
  };

  /** What PostgreSQL does when a client goes away: roll back, and forget its statements. */
  const cleanUp = async () => {
    if (lock.holds(sessionId)) {
      const status = await execute({ bytes: message("S", Buffer.alloc(0)), reply: false });
      if (status === "T" || status === "E") await execute({ bytes: message("Q", cString("ROLLBACK")), reply: false });
    }
    if (preparedStatements.size === 0) return;
    const closes = [...preparedStatements].map((name) => message("C", Buffer.concat([Buffer.from("S"), cString(name)])));
    await execute({ bytes: Buffer.concat([...closes, message("S", Buffer.alloc(0))]), reply: false });
  };

  const close = () => {
    if (closed) return;
    closed = true;
    socket.destroy();
    work = work.then(cleanUp).catch(() => lock.release(sessionId));
  };

  // An engine fault ends this connection, never the server.
  const enqueue = (task: () => Promise<unknown>) => {
    work = work.then(task).then(
      () => undefined,
      () => close(),
    );
  };

  const handleStartup = (packet: Buffer) => {
    const code = packet.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      socket.write("N");
      return;
    }
    if (code === CANCEL_REQUEST) {
      // Cancellation is not supported: the query runs to its end.
      close();
      return;
    }
    started = true;
    enqueue(() => execute({ bytes: packet, reply: true }));
  };

  const handleMessage = (type: string, body: Buffer) => {
    if (type === "X") {
      close();
      return;
    }
    if (type === "P") {
      const name = readCString(body, 0).text;
      if (name !== "") preparedStatements.add(rename(name));
    }
    if (type === "C" && body.toString("ascii", 0, 1) === "S") preparedStatements.delete(rename(readCString(body, 1).text));
    pending.push(message(type, renameNames({ type, body, rename })));
    if (!UNIT_END.has(type)) return;
    const bytes = Buffer.concat(pending);
    pending = [];
    enqueue(() => execute({ bytes, reply: true }));
  };

  socket.setNoDelay(true);
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (!closed) {
      if (!started) {
        if (buffered.length < 8) return;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return;
        const packet = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        if (packet.readInt32BE(4) !== PROTOCOL_VERSION_3 && ![SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST].includes(packet.readInt32BE(4))) {
          close();
          return;
        }
        handleStartup(packet);
        continue;
      }
      if (buffered.length < 5) return;
      const length = buffered.readInt32BE(1);
      if (buffered.length < length + 1) return;
      const type = buffered.toString("ascii", 0, 1);
      const body = Buffer.from(buffered.subarray(5, length + 1));
      buffered = buffered.subarray(length + 1);
      handleMessage(type, body);
    }
  });
  socket.on("error", close);
  socket.on("close", close);
};

/** Serves a PGlite database on a TCP port; every connection gets a session of its own. */
export const serveEmbeddedPostgres = async ({ db, port, host = "127.0.0.1" }: { db: PGlite; port: number; host?: string }) => {
  await db.waitReady;
  const lock = createEngineLock();
  const sockets = new Set<net.Socket>();
  let nextSessionId = 1;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serveConnection({ db, lock, socket, sessionId: nextSessionId++ });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
