import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

// The webhook receiver every part delivers to: an HTTP server in this process that answers 204
// after `answerMs`. It counts the requests it has open at once (the concurrency the endpoint's
// lane really reached), and, with `parse`, notes when its 2xx for each objection was written.

export type TReceiver = Awaited<ReturnType<typeof startReceiver>>;

export const startReceiver = async ({ answerMs, parse }: { answerMs: number; parse: boolean }) => {
  let mode: "up" | "503" | "refuse" = "up";
  const counts = { requests: 0, acknowledged: 0, refused503: 0, duplicates: 0, inFlight: 0, maxInFlight: 0 };
  /** objection_id → performance.now() when the first 2xx for it was handed to the socket. */
  const firstAck = new Map<string, number>();
  const server = createServer((request, response) => {
    counts.requests++;
    counts.maxInFlight = Math.max(counts.maxInFlight, ++counts.inFlight);
    // "close" comes once the answer is written or the connection is gone: the request is over either way.
    response.on("close", () => counts.inFlight--);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => void (parse && chunks.push(chunk)));
    request.on("end", () => {
      if (mode === "503") {
        counts.refused503++;
        response.writeHead(503).end();
        return;
      }
      const objectionId = parse ? (JSON.parse(Buffer.concat(chunks).toString()) as { data?: { objection_id?: string } }).data?.objection_id : undefined;
      // The latency ends when the receiver has answered, as the target says: "finish", not the request's arrival.
      response.on("finish", () => {
        counts.acknowledged++;
        if (!objectionId) return;
        if (firstAck.has(objectionId)) counts.duplicates++;
        else firstAck.set(objectionId, performance.now());
      });
      setTimeout(() => response.writeHead(204).end(), answerMs);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    counts,
    firstAck,
    /** Down: refusing connections (the port closed, open ones cut) or answering 503. */
    down: (how: "refuse" | "503") => {
      mode = how;
      if (how === "refuse") {
        server.close();
        server.closeAllConnections();
      }
    },
    /** Back on the same port, answering as before. */
    up: async () => {
      if (mode === "refuse") {
        server.listen(port, "127.0.0.1");
        await once(server, "listening");
      }
      mode = "up";
    },
    close: async () => {
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};
