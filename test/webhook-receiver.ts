import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

// Shared by Vitest and Playwright (e2e/admin-webhooks.spec.ts): no import of the app's code here.

export type TReceivedWebhook = { headers: IncomingHttpHeaders; body: string; answered: number };

/**
 * A webhook receiver on 127.0.0.1 (over http: the tests set WEBHOOK_ALLOW_PRIVATE=1). It records
 * each request and answers from `answers` in turn, then with `answerWith`'s code (200 at first),
 * after `delayMs`.
 */
export const startWebhookReceiver = async ({ delayMs = 0 }: { delayMs?: number } = {}) => {
  const received: TReceivedWebhook[] = [];
  const answers: number[] = [];
  let otherwise = 200;
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const answered = answers.shift() ?? otherwise;
      received.push({ headers: request.headers, body, answered });
      setTimeout(() => response.writeHead(answered).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    answers,
    answerWith: (code: number) => {
      otherwise = code;
    },
    /** Forgets what came, and what to answer. */
    reset: () => {
      received.length = 0;
      answers.length = 0;
      otherwise = 200;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** A received delivery's body. */
export const webhookBodyOf = (delivery: TReceivedWebhook) => JSON.parse(delivery.body) as { type: string; timestamp: string; data: Record<string, unknown> };
