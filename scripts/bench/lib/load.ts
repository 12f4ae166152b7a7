import autocannon from "autocannon";

import { fmt, figurePrinter } from "./report";
import { isInterrupted, setCurrentLoad } from "./run";

// HTTP load: autocannon in this process, one request template whose `setupRequest` picks the
// member each request is for.

export type TLinkMember = { memberId: string; token: string };
export type TSubmission = { method: string; path: string; headers: Record<string, string>; body: string };
export type TLoadStats = { rate: number; p50: number; p99: number; total: number; seconds: number; errors: number; timeouts: number };

const figure = figurePrinter(48);

/** Runs autocannon; with `amount` (a pool of single-use members) it ignores `duration`, so a timer stops it. */
export const load = ({ url, seconds: duration, connections, request, overallRate, amount }: { url: string; seconds: number; connections: number; request: autocannon.Request; overallRate?: number; amount?: number }) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const instance = autocannon({ url, connections: amount ? Math.min(connections, amount) : connections, duration, overallRate, amount, requests: [request] }, (error: unknown, result: autocannon.Result) => {
      clearTimeout(timer);
      setCurrentLoad(undefined);
      if (isInterrupted()) reject(new Error("Interrupted"));
      else if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(result);
    });
    setCurrentLoad(() => instance.stop());
    if (amount) timer = setTimeout(() => instance.stop(), duration * 1000);
  });

export const statsOf = (result: autocannon.Result, counted = result.requests.total): TLoadStats => ({
  rate: counted / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  total: counted,
  seconds: result.duration,
  errors: result.errors,
  timeouts: result.timeouts,
});

export const describeLoad = ({ rate, p50, p99 }: TLoadStats, unit = "req/s") => `${fmt(rate)} ${unit}, p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms`;

/** Counts statuses and keeps the first few distinct failures (status and the start of the body). */
export const outcomes = ({ isSuccess }: { isSuccess: (status: number) => boolean }) => {
  const successes = new Set<string>();
  const statuses = new Map<number, number>();
  const failures = new Map<string, number>();
  let ok = 0;
  const record = (status: number, body: string, member: TLinkMember | undefined) => {
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (isSuccess(status)) {
      ok++;
      if (member) successes.add(member.memberId);
      return;
    }
    const key = `${status} ${body.replace(/\s+/g, " ").slice(0, 300)}`;
    if (failures.has(key) || failures.size < 5) failures.set(key, (failures.get(key) ?? 0) + 1);
  };
  const report = (label: string) => {
    figure(`${label}: statuses`, [...statuses].map(([status, count]) => `${status}×${count}`).join(", ") || "none");
    for (const [key, count] of failures) console.log(`  failure (${count}×): ${key}`);
  };
  return { successes, record, report, ok: () => ok, failed: () => [...statuses].reduce((sum, [status, count]) => sum + (isSuccess(status) ? 0 : count), 0) };
};

type TOutcomes = ReturnType<typeof outcomes>;
type TContext = { member?: TLinkMember };

/** A request whose every send takes the next member of `pool` (round and round if `cycle`). */
export const memberRequest = ({ pool, cycle, build, outcome }: { pool: TLinkMember[]; cycle: boolean; build: (token: string) => TSubmission; outcome: TOutcomes }) => {
  let next = 0;
  let reused = 0;
  const first = build(pool[0]!.token);
  const request: autocannon.Request = {
    method: first.method as autocannon.Request["method"],
    path: first.path,
    headers: first.headers,
    body: first.body,
    // autocannon sends one request per connection at a time (no pipelining) and keeps a context
    // per connection, so the member stored here is the one the response belongs to.
    setupRequest: (req, context) => {
      if (next >= pool.length) {
        if (!cycle) reused++;
        next = 0;
      }
      const member = pool[next++]!;
      (context as TContext).member = member;
      const submission = build(member.token);
      return { ...req, method: submission.method as autocannon.Request["method"], path: submission.path, headers: submission.headers, body: submission.body };
    },
    onResponse: (status, body, context) => outcome.record(status, body, (context as TContext).member),
  };
  return { request, used: () => next, reused: () => reused };
};
