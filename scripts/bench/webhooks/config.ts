import { parseArgs } from "node:util";

import { figurePrinter, summaryTable } from "../lib/report";

// The webhook bench's options (see the header of scripts/bench/webhooks.ts), and what its parts print to.

const PARTS = ["throughput", "latency", "submit", "recovery"] as const;
type TPart = (typeof PARTS)[number];

const { values } = parseArgs({
  options: {
    only: { type: "string", default: PARTS.join(",") },
    concurrency: { type: "string", default: "64" },
    deliveries: { type: "string", default: "20000" },
    "answer-ms": { type: "string", default: "0" },
    "receiver-ms": { type: "string", default: "50" },
    rate: { type: "string", default: "150" },
    seconds: { type: "string", default: "20" },
    "submit-rounds": { type: "string", default: "10" },
    "submit-per-round": { type: "string", default: "300" },
    "outage-minutes": { type: "string", default: "10" },
    "outage-rate": { type: "string", default: "20" },
    "outage-mode": { type: "string", default: "refuse" },
  },
  strict: true,
});

const number = (name: keyof typeof values, { whole = true, min = 1 }: { whole?: boolean; min?: number } = {}) => {
  const value = Number(values[name]);
  if (!(whole ? Number.isInteger(value) : Number.isFinite(value)) || value < min) throw new Error(`--${name} must be ${whole ? "a whole number" : "a number"} of ${min} or more`);
  return value;
};

const ONLY = new Set(String(values.only).split(",").map((part) => part.trim()).filter(Boolean));
for (const part of ONLY) if (!PARTS.includes(part as TPart)) throw new Error(`--only: unknown part "${part}" (use ${PARTS.join(",")})`);
export const runs = (part: TPart) => ONLY.has(part);

/** WEBHOOK_ENDPOINT_CONCURRENCY for every part: the most deliveries in flight to one endpoint. */
export const CONCURRENCY = number("concurrency");
export const DELIVERIES = number("deliveries");
/** The throughput receiver's wait before its 204: 0 is a fast receiver. */
export const ANSWER_MS = number("answer-ms", { min: 0 });
/** The latency and recovery receiver's wait before its 204: a receiver doing some work. */
export const RECEIVER_MS = number("receiver-ms", { min: 0 });
export const RATE = number("rate", { whole: false, min: 0.1 });
export const SECONDS = number("seconds", { whole: false, min: 0.1 });
export const SUBMIT_ROUNDS = number("submit-rounds", { min: 2 });
export const SUBMIT_PER_ROUND = number("submit-per-round", { min: 10 });
export const OUTAGE_MINUTES = number("outage-minutes", { whole: false, min: 0.01 });
export const OUTAGE_RATE = number("outage-rate", { whole: false, min: 0.1 });
if (values["outage-mode"] !== "refuse" && values["outage-mode"] !== "503") throw new Error("--outage-mode must be refuse or 503");
/** How the receiver is down: refusing connections (its port closed), or answering 503 at once. */
export const OUTAGE_MODE = values["outage-mode"];

export const TARGETS = { perSecond: 1000, latencyP99Ms: 5000, recoverySeconds: 120, submitRatio: 1.05 };

export const figure = figurePrinter(50);
export const summary = summaryTable();
