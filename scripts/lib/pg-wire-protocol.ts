// The PostgreSQL wire protocol as the demo's embedded PostgreSQL (embedded-postgres.ts) reads and
// writes it: framing messages, renaming the statements and portals they name, and following the
// engine's replies for the transaction status.

export const PROTOCOL_VERSION_3 = 196608;
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

/** Message types that end a unit of work: the engine answers them, so they are sent at once. */
export const UNIT_END = new Set(["S", "Q", "H", "c", "f"]);

export const cString = (text: string) => Buffer.concat([Buffer.from(text, "utf8"), Buffer.from([0])]);

export const readCString = (buffer: Buffer, offset: number) => {
  const end = buffer.indexOf(0, offset);
  return { text: buffer.toString("utf8", offset, end), next: end + 1 };
};

export const message = (type: string, body: Buffer) => {
  const header = Buffer.alloc(5);
  header.write(type, 0, "ascii");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
};

/**
 * Renames the statement and portal names a message carries, so that each connection has its own
 * namespace. The unnamed statement and portal stay unnamed: a unit of work never interleaves.
 */
export const renameNames = ({ type, body, rename }: { type: string; body: Buffer; rename: (name: string) => string }): Buffer => {
  const named = (name: string) => (name === "" ? "" : rename(name));
  switch (type) {
    case "P": {
      // Parse: statement name, query, parameter types.
      const statement = readCString(body, 0);
      return Buffer.concat([cString(named(statement.text)), body.subarray(statement.next)]);
    }
    case "B": {
      // Bind: portal name, statement name, then parameters.
      const portal = readCString(body, 0);
      const statement = readCString(body, portal.next);
      return Buffer.concat([cString(named(portal.text)), cString(named(statement.text)), body.subarray(statement.next)]);
    }
    case "D":
    case "C": {
      // Describe and Close: 'S' (statement) or 'P' (portal), then the name.
      const name = readCString(body, 1);
      return Buffer.concat([body.subarray(0, 1), cString(named(name.text))]);
    }
    case "E": {
      // Execute: portal name, row limit.
      const portal = readCString(body, 0);
      return Buffer.concat([cString(named(portal.text)), body.subarray(portal.next)]);
    }
    default:
      return body;
  }
};

/** Follows the engine's reply stream to learn the transaction status of its last ReadyForQuery. */
export const createReplyScanner = () => {
  let header = Buffer.alloc(0);
  let remaining = 0;
  let inReadyForQuery = false;
  let status: string | null = null;
  return {
    feed: (chunk: Buffer) => {
      let offset = 0;
      while (offset < chunk.length) {
        if (remaining > 0) {
          const take = Math.min(remaining, chunk.length - offset);
          if (inReadyForQuery) status = String.fromCharCode(chunk[offset + take - 1]!);
          remaining -= take;
          offset += take;
          continue;
        }
        const take = Math.min(5 - header.length, chunk.length - offset);
        header = Buffer.concat([header, chunk.subarray(offset, offset + take)]);
        offset += take;
        if (header.length < 5) continue;
        inReadyForQuery = header.toString("ascii", 0, 1) === "Z";
        remaining = header.readInt32BE(1) - 4;
        header = Buffer.alloc(0);
      }
    },
    /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction; null if no ReadyForQuery came. */
    takeStatus: () => {
      const last = status;
      status = null;
      return last;
    },
  };
};
