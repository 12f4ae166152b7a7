// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/submit.ts`
// Measures the personal link page and the objection form on a production build (one `next start`,
// a discarding SMTP sink, one worker), with autocannon at 50 connections and a different member per
// request, against a minimal Next.js route handler doing one `pg` INSERT measured in the same run:
// - GET /o/<token>: req/s, p50, p99; ratio to the baseline, target ≥ 0.4;
// - the form, posted as a browser without JavaScript posts it: submissions/s, p50, p99; ratio to the
//   baseline, target ≥ 0.5; then a fixed 150 submissions/s, target p99 ≤ 200 ms;
// - nothing lost, nothing doubled: one objection, one `created` event and one receipt job per member;
// - the worker draining 10,000 receipts: target ≥ 200/s, ≤ 60 s;
// - the web process's peak RSS during the load, target ≤ 300 MB.
// It creates a database of its own and drops it at the end. Not part of `npm test`.
//
// Environment: BENCH_MEMBERS (30000), BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (3),
// BENCH_DRAIN_MAX_SECONDS (300), BENCH_SKIP_BUILD=1 (reuse .next), BENCH_LOGS=1 (show the app's
// and worker's output), BENCH_ONLY=page,submit,fixed,drain (a subset; the baseline runs whenever
// page or submit does).
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import autocannon from "autocannon";
import pg from "pg";

import { jobs, QUEUES, stopJobs } from "@/lib/jobs";
import { mintLinkToken } from "@/lib/links/token";
import { closePgPool } from "@/lib/pg";
import { freePort } from "@/scripts/lib/free-port";
import { buildApp, run, startApp, startChild, startWorker, stopAll, type TStopper, waitForHttp } from "@/scripts/lib/stack";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 30_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const DRAIN_MAX_SECONDS = Number(process.env.BENCH_DRAIN_MAX_SECONDS ?? 300);
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === "1";
const LOGS = process.env.BENCH_LOGS === "1";
const PHASES = ["page", "submit", "fixed", "drain"] as const;
type TPhase = (typeof PHASES)[number];
const ONLY = new Set((process.env.BENCH_ONLY ?? PHASES.join(",")).split(",").map((phase) => phase.trim()).filter(Boolean));
for (const phase of ONLY) if (!PHASES.includes(phase as TPhase)) throw new Error(`BENCH_ONLY: unknown phase "${phase}" (use ${PHASES.join(",")})`);
const runs = (phase: TPhase) => ONLY.has(phase);
// Fewer, and the pools split below (page, submit, fixed rate, warm-up) are too small to mean anything.
if (!(MEMBERS >= 1000) || !(SECONDS > 0)) throw new Error("BENCH_MEMBERS must be at least 1000 and BENCH_SECONDS positive");

const CONNECTIONS = 50;
const FIXED_RATE = 150;
const DRAIN_JOBS = 10_000;
const RECEIPT_QUEUE = QUEUES.objectionReceipt.name;
// The app's own default (lib/env.ts); TEST_ENV's 4 is sized for tests, not for load. The baseline
// gets the same number of connections, so the comparison is about the code, not the pool.
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const NEXT_BIN = "node_modules/next/dist/bin/next";
const DAY_MS = 86_400_000;

const TARGETS = { pageRatio: 0.4, submitRatio: 0.5, fixedP99Ms: 200, drainRate: 200, drainSeconds: 60, rssMb: 300 };

type TMember = { memberId: string; token: string };
type TRow = { figure: string; target: string; measured: string; pass?: boolean };
type TField = [name: string, value: string];
type TForm = { action: string; method: string; enctype: string; fields: TField[]; hasTextarea: boolean };
type TSubmission = { method: string; path: string; headers: Record<string, string>; body: string };
type TLoadStats = { rate: number; p50: number; p99: number; total: number; seconds: number; errors: number; timeouts: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const figure = (label: string, value: string) => console.log(`${label.padEnd(48)} ${value}`);
const fmt = (value: number, digits = 0) => value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const rows: TRow[] = [];
const row = (entry: TRow) => rows.push(entry);

// Everything started is registered here, so a failure or Ctrl-C stops it all (in reverse order).
const parts: TStopper[] = [];
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= stopAll(parts).then(() => {
    // A build still running when we were stopped is no registered part: end what is left of our
    // own descendants, by id.
    for (const pid of processTree(process.pid).slice(1)) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // Gone already.
      }
    }
  }));
let currentLoad: autocannon.Instance | undefined;
let interrupted = false;
/** After Ctrl-C, a phase that was cut short is not reported as if it had run. */
const stopIfInterrupted = () => {
  if (interrupted) throw new Error("Interrupted");
};

// Log lines that look like trouble, from the app and the worker, shown at the end (the load
// hides them otherwise). Counted, with the first few distinct ones kept.
const logProblems = new Map<string, number>();
const watchLogs = ({ name, child }: { name: string; child: ChildProcess }) => {
  const note = (chunk: Buffer, stream: "stdout" | "stderr") => {
    for (const line of chunk.toString().split("\n")) {
      if (line.trim() === "" || (stream === "stdout" && !/error|fail|exception|warn/i.test(line))) continue;
      const text = line.trim().slice(0, 240);
      const key = text.startsWith(`[${name}]`) ? text : `[${name}] ${text}`;
      if (logProblems.has(key) || logProblems.size < 20) logProblems.set(key, (logProblems.get(key) ?? 0) + 1);
    }
  };
  child.stdout?.on("data", (chunk: Buffer) => note(chunk, "stdout"));
  child.stderr?.on("data", (chunk: Buffer) => note(chunk, "stderr"));
};

// ---------------------------------------------------------------------------------------------
// Members: inserted in bulk, each with an email notification, so each has a personal link.

const seedMembers = async ({ pool, count, prefix }: { pool: pg.Pool; count: number; prefix: string }) => {
  const { rows: seeded } = await pool.query<{ memberId: string; notificationId: string }>(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT $2 || i, $2 || i || '@example.eu',
              (ARRAY['AT','BE','DE','FR','IE','IT','NL','PL','ES','SE'])[1 + i % 10],
              date '1950-01-01' + (i % 18000),
              (ARRAY['en','de','fr'])[1 + i % 3]
       FROM generate_series(1, $1::int) AS i
       RETURNING id),
     n AS (
       INSERT INTO "Notification" ("memberId", channel, status, "sentAt")
       SELECT id, 'email', 'sent', now() FROM m
       RETURNING id, "memberId")
     SELECT "memberId", id AS "notificationId" FROM n`,
    [count, prefix],
  );
  const expiresAt = new Date(Date.now() + 30 * DAY_MS);
  return seeded.map(({ memberId, notificationId }) => ({
    memberId,
    token: mintLinkToken({ subject: { kind: "notification", id: notificationId }, expiresAt, secret: TEST_ENV.LINK_SECRET }),
  }));
};

// ---------------------------------------------------------------------------------------------
// The baseline: a separate, minimal Next.js app (not a route in the app under test), built with
// this repository's `next` and started with `next start`, as one process.

const BASELINE_FILES: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "objection-bench-baseline", private: true }, null, 2)}\n`,
  // node_modules is a symlink to this repository's, outside the temporary folder: Turbopack
  // compiles nothing outside its root, so the root is the filesystem's.
  "next.config.js": `module.exports = { poweredByHeader: false, typescript: { ignoreBuildErrors: true }, serverExternalPackages: ["pg"], turbopack: { root: "/" }, outputFileTracingRoot: "/" };\n`,
  "tsconfig.json": `${JSON.stringify(
    {
      compilerOptions: { target: "ES2022", lib: ["dom", "esnext"], strict: true, noEmit: true, module: "esnext", moduleResolution: "bundler", jsx: "react-jsx", isolatedModules: true, esModuleInterop: true, skipLibCheck: true, plugins: [{ name: "next" }] },
      include: ["**/*.ts", "**/*.tsx"],
      exclude: ["node_modules"],
    },
    null,
    2,
  )}\n`,
  "app/layout.tsx": `import type { ReactNode } from "react";\n\nconst RootLayout = ({ children }: { children: ReactNode }) => (\n  <html lang="en">\n    <body>{children}</body>\n  </html>\n);\n\nexport default RootLayout;\n`,
  "app/baseline/route.ts": `import pg from "pg";

export const dynamic = "force-dynamic";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: ${POOL_SIZE} });

export const GET = async () => {
  const { rows } = await pool.query("INSERT INTO bench_baseline (note) VALUES ($1) RETURNING id", ["baseline"]);
  return Response.json({ id: rows[0].id });
};
`,
};

const startBaseline = async ({ databaseUrl, port }: { databaseUrl: string; port: number }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "objection-bench-baseline-"));
  parts.push({ name: "baseline folder", stop: async () => rmSync(dir, { recursive: true, force: true }) });
  for (const [file, text] of Object.entries(BASELINE_FILES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"), "dir");
  const env = { NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: databaseUrl };
  await run({ command: process.execPath, args: [NEXT_BIN, "build", dir], env, quiet: true });
  const baseline = startChild({ name: "baseline", command: process.execPath, args: [NEXT_BIN, "start", dir, "--port", String(port)], env, logs: LOGS });
  parts.push(baseline);
  watchLogs(baseline);
  await waitForHttp({ url: `http://127.0.0.1:${port}/baseline`, name: "The baseline app", timeoutMs: 60_000 });
  return baseline;
};

// ---------------------------------------------------------------------------------------------
// Memory: the web process and its children (`next start` may run the server in a child).

const processTree = (root: number) => {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name can hold spaces and parentheses: the fields after the last ")" are safe.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process exited while we looked.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
};

const treeRss = (root: number) => {
  let kb = 0;
  const tree = processTree(root);
  for (const pid of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // Exited.
    }
  }
  return { mb: kb / 1024, processes: tree.length };
};

const sampleRss = (pid: number) => {
  let peak = treeRss(pid);
  const timer = setInterval(() => {
    const now = treeRss(pid);
    if (now.mb > peak.mb) peak = now;
  }, 500);
  return { peak: () => peak.mb, processes: () => peak.processes, stop: () => clearInterval(timer) };
};

// ---------------------------------------------------------------------------------------------
// Load: autocannon in this process, one request template whose `setupRequest` picks the member.

/** Runs autocannon; with `amount` (a pool of single-use members) it ignores `duration`, so a timer stops it. */
const load = ({ url, seconds: duration, request, overallRate, amount }: { url: string; seconds: number; request: autocannon.Request; overallRate?: number; amount?: number }) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const connections = amount ? Math.min(CONNECTIONS, amount) : CONNECTIONS;
    const instance = autocannon({ url, connections, duration, overallRate, amount, requests: [request] }, (error: unknown, result: autocannon.Result) => {
      clearTimeout(timer);
      currentLoad = undefined;
      if (interrupted) reject(new Error("Interrupted"));
      else if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(result);
    });
    currentLoad = instance;
    if (amount) timer = setTimeout(() => instance.stop(), duration * 1000);
  });

const statsOf = (result: autocannon.Result, counted = result.requests.total): TLoadStats => ({
  rate: counted / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  total: counted,
  seconds: result.duration,
  errors: result.errors,
  timeouts: result.timeouts,
});

const describe = ({ rate, p50, p99 }: TLoadStats, unit = "req/s") => `${fmt(rate)} ${unit}, p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms`;

/** Counts statuses and keeps the first few distinct failures (status and the start of the body). */
const outcomes = ({ isSuccess }: { isSuccess: (status: number) => boolean }) => {
  const successes = new Set<string>();
  const statuses = new Map<number, number>();
  const failures = new Map<string, number>();
  let ok = 0;
  const record = (status: number, body: string, member: TMember | undefined) => {
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
type TContext = { member?: TMember };

/** A request whose every send takes the next member of `pool` (round and round if `cycle`). */
const memberRequest = ({ pool, cycle, build, outcome }: { pool: TMember[]; cycle: boolean; build: (token: string) => TSubmission; outcome: TOutcomes }) => {
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

// ---------------------------------------------------------------------------------------------
// The form, read from the page as a browser reads it, and replayed without JavaScript.

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

const decodeEntities = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
    if (entity.startsWith("#x") || entity.startsWith("#X")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity.toLowerCase()] ?? match;
  });

const parseAttributes = (source: string) => {
  const attributes = new Map<string, string>();
  for (const [, name, doubleQuoted, singleQuoted, bare] of source.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    // As in HTML, the first of two same-named attributes wins.
    const key = name!.toLowerCase();
    if (!attributes.has(key)) attributes.set(key, decodeEntities(doubleQuoted ?? singleQuoted ?? bare ?? ""));
  }
  return attributes;
};

const SKIPPED_INPUTS = new Set(["submit", "button", "reset", "image", "file"]);

/** Every `<form>` with what a browser would submit from it: its controls in document order, with their defaults. */
const parseForms = (html: string): TForm[] =>
  [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form\s*>/gi)].map(([, formAttributes, inner]) => {
    const form = parseAttributes(formAttributes ?? "");
    let action = form.get("action") ?? "";
    let method = (form.get("method") ?? "get").toLowerCase();
    let enctype = (form.get("enctype") ?? "application/x-www-form-urlencoded").toLowerCase();
    const fields: TField[] = [];
    let submitter: Map<string, string> | undefined;
    let hasTextarea = false;
    for (const [, voidTag, voidAttributes, pairTag, pairAttributes, content] of (inner ?? "").matchAll(/<(input|button)\b([^>]*)>|<(select|textarea)\b([^>]*)>([\s\S]*?)<\/\3\s*>/gi)) {
      const attributes = parseAttributes(voidAttributes ?? pairAttributes ?? "");
      const tag = (voidTag ?? pairTag ?? "").toLowerCase();
      const name = attributes.get("name");
      const type = (attributes.get("type") ?? (tag === "button" ? "submit" : "text")).toLowerCase();
      if (tag === "textarea") hasTextarea = true;
      if ((tag === "button" || type === "submit" || type === "image") && type !== "button" && type !== "reset") {
        submitter ??= attributes;
        continue;
      }
      if (!name || attributes.has("disabled")) continue;
      if (tag === "input") {
        if (SKIPPED_INPUTS.has(type)) continue;
        if ((type === "checkbox" || type === "radio") && !attributes.has("checked")) continue;
        fields.push([name, attributes.get("value") ?? (type === "checkbox" || type === "radio" ? "on" : "")]);
      } else if (tag === "textarea") {
        // The parser drops one newline right after <textarea>.
        fields.push([name, decodeEntities((content ?? "").replace(/^\r?\n/, ""))]);
      } else {
        const options = [...(content ?? "").matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option\s*>/gi)].map(([, optionAttributes, label]) => {
          const option = parseAttributes(optionAttributes ?? "");
          return { value: option.get("value") ?? decodeEntities((label ?? "").replace(/<[^>]*>/g, "").trim()), selected: option.has("selected"), disabled: option.has("disabled") };
        });
        const selected = options.filter((option) => option.selected);
        const chosen = attributes.has("multiple") ? selected : selected.slice(0, 1).concat(selected.length ? [] : options.filter((option) => !option.disabled).slice(0, 1));
        for (const option of chosen) fields.push([name, option.value]);
      }
    }
    // Pressing the first submit button: its name and value are sent, and its form* attributes win
    // (React renders a server action on a button as `formAction`).
    if (submitter) {
      const name = submitter.get("name");
      if (name) fields.push([name, submitter.get("value") ?? ""]);
      action = submitter.get("formaction") ?? action;
      method = (submitter.get("formmethod") ?? method).toLowerCase();
      enctype = (submitter.get("formenctype") ?? enctype).toLowerCase();
    }
    return { action, method, enctype, fields, hasTextarea };
  });

/** The objection form among the page's forms (the language switcher is one too): the one that carries the token. */
const pickForm = (forms: TForm[], token: string) => {
  const score = (form: TForm) =>
    (form.fields.some(([, value]) => value === token) ? 8 : 0) +
    (form.action.includes(token) ? 4 : 0) +
    (form.fields.some(([, value]) => value.includes(token)) ? 1 : 0) +
    (form.hasTextarea ? 2 : 0);
  const candidates = forms.filter((form) => form.method === "post" && score(form) > 0).sort((a, b) => score(b) - score(a));
  if (!candidates[0]) throw new Error(`No POST form carrying the token on the page (forms: ${JSON.stringify(forms.map(({ action, method, fields }) => ({ action, method, fields: fields.map(([name]) => name) })))})`);
  return candidates[0];
};

const escapeMultipartName = (name: string) => name.replace(/\r\n|\r|\n/g, "%0D%0A").replace(/"/g, "%22");

/** Turns the parsed form into a request for any member: their token wherever the sample's appears. */
const formSubmission = ({ form, pageUrl, sampleToken, cookie }: { form: TForm; pageUrl: URL; sampleToken: string; cookie: string }) => {
  const target = new URL(form.action, pageUrl);
  if (target.origin !== pageUrl.origin) throw new Error(`The form posts to another origin: ${target.origin}`);
  // A Next.js server action without JavaScript is a multipart post, whatever the enctype says.
  const multipart = form.enctype === "multipart/form-data" || form.fields.some(([name]) => name.startsWith("$ACTION_"));
  const boundary = `----objectionbench${Math.random().toString(16).slice(2)}`;
  const swap = (text: string, token: string) => text.split(sampleToken).join(token);
  const bodyFor = (token: string) => {
    const fields = form.fields.map(([name, value]): TField => [name, swap(value, token)]);
    if (!multipart) return new URLSearchParams(fields).toString();
    return `${fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escapeMultipartName(name)}"\r\n\r\n${value.replace(/\r?\n/g, "\r\n")}\r\n`).join("")}--${boundary}--\r\n`;
  };
  const build = (token: string): TSubmission => ({
    method: form.method.toUpperCase(),
    path: swap(`${target.pathname}${target.search}`, token),
    headers: {
      "content-type": multipart ? `multipart/form-data; boundary=${boundary}` : "application/x-www-form-urlencoded",
      // What a browser sends with a form post: Next.js checks Origin against Host for server actions.
      origin: pageUrl.origin,
      referer: swap(pageUrl.href, token),
      accept: "text/html,application/xhtml+xml",
      "accept-language": "en",
      ...(cookie ? { cookie } : {}),
    },
    body: bodyFor(token),
  });
  return { build, multipart, target: swap(target.pathname, "<token>") };
};

// ---------------------------------------------------------------------------------------------
// Nothing lost, nothing doubled.

const checkObjections = async ({ pool, successes }: { pool: pg.Pool; successes: Set<string> }) => {
  const { rows: perMember } = await pool.query<{ memberId: string; objections: number; created: number; jobs: number }>(
    `WITH receipt_jobs AS (
       SELECT data->>'objectionId' AS "objectionId", count(*) AS n
       FROM (SELECT data FROM pgboss.job WHERE name = $1 UNION ALL SELECT data FROM pgboss.archive WHERE name = $1) AS j
       GROUP BY 1),
     created AS (SELECT "objectionId", count(*) AS n FROM "ObjectionEvent" WHERE type = 'created' GROUP BY 1)
     SELECT o."memberId", count(*)::int AS objections, coalesce(sum(c.n), 0)::int AS created, coalesce(sum(j.n), 0)::int AS jobs
     FROM "Objection" o
     LEFT JOIN created c ON c."objectionId" = o.id
     LEFT JOIN receipt_jobs j ON j."objectionId" = o.id::text
     WHERE o."memberId" IS NOT NULL
     GROUP BY o."memberId"`,
    [RECEIPT_QUEUE],
  );
  const { rows: orphans } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT data FROM pgboss.job WHERE name = $1 UNION ALL SELECT data FROM pgboss.archive WHERE name = $1) AS j
     WHERE NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o.id::text = j.data->>'objectionId')`,
    [RECEIPT_QUEUE],
  );
  const byMember = new Map(perMember.map((entry) => [entry.memberId, entry]));
  let lost = 0;
  let exact = 0;
  for (const memberId of successes) {
    const entry = byMember.get(memberId);
    if (!entry) lost++;
    else if (entry.objections === 1 && entry.created === 1 && entry.jobs === 1) exact++;
  }
  const doubled = perMember.filter((entry) => entry.objections > 1 || entry.created > entry.objections || entry.jobs > entry.objections).length;
  const incomplete = perMember.filter((entry) => entry.created < entry.objections || entry.jobs < entry.objections).length;
  const withoutSuccess = perMember.filter((entry) => !successes.has(entry.memberId)).length;
  const pass = lost === 0 && exact === successes.size && doubled === 0 && incomplete === 0 && orphans[0]!.n === 0;
  figure("check: members with a success response", fmt(successes.size));
  figure("check: … with exactly 1 objection, event, job", fmt(exact));
  figure("check: … with no objection (lost)", fmt(lost));
  figure("check: members with more than one (doubled)", fmt(doubled));
  figure("check: objections missing an event or a job", fmt(incomplete));
  figure("check: receipt jobs without an objection", fmt(orphans[0]!.n));
  // Requests cut off when a run stopped, or answered with an error after the commit: stored, not lost.
  figure("check: stored, no success seen (in flight/error)", fmt(withoutSuccess));
  figure("check", pass ? "PASS" : "FAIL");
  return { pass, exact, lost, doubled, incomplete, orphans: orphans[0]!.n };
};

// ---------------------------------------------------------------------------------------------
// Receipt drain.

const receiptBacklog = async (pool: pg.Pool) =>
  (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [RECEIPT_QUEUE])).rows[0]!.n;

/** Tops the receipt backlog up to DRAIN_JOBS: members, objections and their events in SQL, the jobs with pg-boss `insert`. */
const topUpBacklog = async ({ pool, backlog }: { pool: pg.Pool; backlog: number }) => {
  const missing = DRAIN_JOBS - backlog;
  if (missing <= 0) return 0;
  await seedMembers({ pool, count: missing, prefix: "bench-drain-" });
  const { rows: created } = await pool.query<{ id: string }>(
    `WITH o AS (
       INSERT INTO "Objection" ("memberId", email, country, source, status)
       SELECT id, email, country, 'email_link', 'effective' FROM "Member" WHERE "externalId" LIKE 'bench-drain-%'
       RETURNING id, "memberId"),
     e AS (
       INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail)
       SELECT id, 'created', 'member', "memberId"::text, '{"source":"email_link"}'::jsonb FROM o)
     SELECT id FROM o`,
  );
  const boss = await jobs();
  for (let i = 0; i < created.length; i += 1000) {
    await boss.insert(created.slice(i, i + 1000).map(({ id }) => ({ name: RECEIPT_QUEUE, data: { objectionId: id } })));
  }
  return created.length;
};

const forkSink = (port: number) =>
  fork("scripts/bench/smtp-sink.ts", [], { execArgv: ["--import", "tsx"], env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", SINK_PORT: String(port) }, stdio: ["ignore", "pipe", "inherit", "ipc"] });

const sinkCount = async (sink: ChildProcess) => {
  const reply = once(sink, "message") as Promise<[{ count: number; at: number }]>;
  sink.send("count");
  return (await reply)[0].count;
};

// ---------------------------------------------------------------------------------------------

const printSummary = () => {
  console.log("\nSummary");
  const width = Math.max(36, ...rows.map((entry) => entry.figure.length)) + 2;
  console.log(`${"figure".padEnd(width)} ${"target".padEnd(12)} measured`);
  for (const { figure: label, target, measured, pass } of rows) {
    console.log(`${label.padEnd(width)} ${target.padEnd(12)} ${measured}${pass === undefined ? "" : pass ? "  PASS" : "  FAIL"}`);
  }
  if (logProblems.size > 0) {
    console.log("\nApp and worker log lines that look like trouble (first distinct ones):");
    for (const [line, count] of logProblems) console.log(`  ${count}× ${line}`);
  }
};

const main = async () => {
  const started = process.hrtime.bigint();
  const [appPort, baselinePort, sinkPort] = [await freePort(), await freePort(), await freePort()];
  const database = await createTestDatabase("objection_bench_submit");
  parts.push({ name: "database", stop: () => dropTestDatabase(database.name) });
  const env = { ...TEST_ENV, DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(POOL_SIZE), APP_URL: `http://127.0.0.1:${appPort}`, SMTP_URL: `smtp://127.0.0.1:${sinkPort}` };
  // This process enqueues the drain backlog through lib/jobs, which reads the same variables.
  Object.assign(process.env, env);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on("error", () => undefined);
  parts.push({ name: "bench pool", stop: () => pool.end() });
  // pg-boss borrows this process's one pool: stop it, then close the pool.
  parts.push({ name: "pg-boss", stop: () => stopJobs().then(closePgPool) });

  const sink = forkSink(sinkPort);
  parts.push({ name: "SMTP sink", stop: async () => void sink.kill() });
  await once(sink, "message");

  const needsApp = runs("page") || runs("submit") || runs("fixed");
  const needsBaseline = runs("page") || runs("submit");

  console.log(`Seeding ${fmt(MEMBERS)} members with an email notification each…`);
  let since = process.hrtime.bigint();
  const members = await seedMembers({ pool, count: MEMBERS, prefix: "bench-" });
  await pool.query(`ANALYZE "Member"; ANALYZE "Notification"`);
  figure("seed members (s)", seconds(since).toFixed(1));

  // Split the members so no phase sees another's: the GET phase cycles through its pool, every
  // submission takes a member never used before (a new objection each time).
  const fixedSize = Math.min(Math.ceil(FIXED_RATE * SECONDS * 1.2) + CONNECTIONS, Math.floor(MEMBERS * 0.3));
  const pageSize = Math.floor(MEMBERS * 0.25);
  const warmSize = Math.min(500, Math.floor(MEMBERS * 0.05));
  const sample = members.slice(0, 2);
  const pagePool = members.slice(2, 2 + pageSize);
  const fixedPool = members.slice(2 + pageSize, 2 + pageSize + fixedSize);
  const warmPool = members.slice(2 + pageSize + fixedSize, 2 + pageSize + fixedSize + warmSize);
  const submitPool = members.slice(2 + pageSize + fixedSize + warmSize);
  figure("members: page / submit / fixed / warm-up", `${fmt(pagePool.length)} / ${fmt(submitPool.length)} / ${fmt(fixedPool.length)} / ${fmt(warmPool.length)}`);

  let baseline: TLoadStats | undefined;
  if (needsBaseline) {
    await pool.query(`CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, note text, at timestamptz NOT NULL DEFAULT now())`);
    console.log("Building and starting the baseline app (a route handler doing one pg INSERT)…");
    await startBaseline({ databaseUrl: database.url, port: baselinePort });
    const url = `http://127.0.0.1:${baselinePort}`;
    const request: autocannon.Request = { method: "GET", path: "/baseline" };
    await load({ url, seconds: WARMUP_SECONDS, request });
    const result = await load({ url, seconds: SECONDS, request });
    baseline = statsOf(result, result["2xx"]);
    figure("baseline: pg INSERT route", `${describe(baseline)} (${fmt(result.non2xx)} non-2xx, ${fmt(result.errors)} errors)`);
    row({ figure: "baseline (pg INSERT route)", target: "baseline", measured: describe(baseline) });
  }

  if (!needsApp && !runs("drain")) return;

  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  if (needsApp) {
    if (!SKIP_BUILD) {
      console.log("Building the app (next build)…");
      since = process.hrtime.bigint();
      await buildApp(env);
      figure("next build (s)", seconds(since).toFixed(0));
    }
    // BENCH_APP_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") reaches the app only.
    const appNodeOptions = process.env.BENCH_APP_NODE_OPTIONS;
    app = await startApp({ env: appNodeOptions ? { ...env, NODE_OPTIONS: appNodeOptions } : env, port: appPort, logs: LOGS });
    parts.push(app);
    watchLogs(app);
  }
  // The worker starts only for the drain phase: the receipts of every submission then wait in the
  // queue (the backlog the drain measures), and the worker takes no CPU from the web process
  // while it is measured.
  const appUrl = `http://127.0.0.1:${appPort}`;
  const rss = app?.child.pid ? sampleRss(app.child.pid) : undefined;
  const successes = new Set<string>();
  const ratio = (rate: number) => (baseline ? rate / baseline.rate : NaN);

  if (runs("page")) {
    console.log(`GET /o/<token>: ${SECONDS} s at ${CONNECTIONS} connections, a different member each request…`);
    const outcome = outcomes({ isSuccess: (status) => status === 200 });
    const build = (token: string): TSubmission => ({ method: "GET", path: `/o/${token}`, headers: { accept: "text/html,application/xhtml+xml", "accept-language": "en" }, body: "" });
    await load({ url: appUrl, seconds: WARMUP_SECONDS, request: memberRequest({ pool: pagePool, cycle: true, build, outcome: outcomes({ isSuccess: () => true }) }).request });
    const result = await load({ url: appUrl, seconds: SECONDS, request: memberRequest({ pool: pagePool, cycle: true, build, outcome }).request });
    const page = statsOf(result, outcome.ok());
    figure("GET /o/<token>", `${describe(page)}, ratio ${ratio(page.rate).toFixed(2)}`);
    outcome.report("GET /o/<token>");
    row({ figure: "GET /o/<token>", target: `≥ ${TARGETS.pageRatio.toFixed(2)}×`, measured: `${describe(page)} (${ratio(page.rate).toFixed(2)}×)`, pass: ratio(page.rate) >= TARGETS.pageRatio && outcome.failed() === 0 });
    if (outcome.failed() > 0) row({ figure: "GET /o/<token> failures", target: "0", measured: fmt(outcome.failed()), pass: false });
  }

  if (runs("submit") || runs("fixed")) {
    // Read the form as a browser without JavaScript does, once, from a member's page.
    const [formMember, smokeMember] = sample as [TMember, TMember];
    const pageUrl = new URL(`/o/${formMember.token}`, appUrl);
    const response = await fetch(pageUrl, { headers: { accept: "text/html", "accept-language": "en" }, redirect: "manual" });
    const html = await response.text();
    if (response.status !== 200) throw new Error(`GET ${pageUrl.pathname} answered ${response.status}: ${html.slice(0, 300)}`);
    const cookie = response.headers.getSetCookie().map((header) => header.split(";")[0]).join("; ");
    const form = pickForm(parseForms(html), formMember.token);
    const submission = formSubmission({ form, pageUrl, sampleToken: formMember.token, cookie });
    figure("form", `${form.method.toUpperCase()} ${submission.target} (${submission.multipart ? "multipart/form-data" : "urlencoded"})`);
    figure("form fields", form.fields.map(([name]) => name).join(", "));

    // One submission first, so a form that cannot work is reported plainly, not as 50 s of failures.
    const smoke = submission.build(smokeMember.token);
    const smokeResponse = await fetch(new URL(smoke.path, appUrl), { method: smoke.method, headers: smoke.headers, body: smoke.body, redirect: "manual" });
    const smokeBody = await smokeResponse.text();
    const smokeOk = smokeResponse.status >= 300 && smokeResponse.status < 400;
    figure("one submission", `${smokeResponse.status} ${smokeResponse.headers.get("location")?.replace(smokeMember.token, "<token>") ?? ""}`);
    if (smokeOk) successes.add(smokeMember.memberId);
    else {
      console.log(`  body: ${smokeBody.replace(/\s+/g, " ").slice(0, 500)}`);
      row({ figure: "form submission", target: "3xx", measured: `${smokeResponse.status}: the form does not submit`, pass: false });
    }

    const isSuccess = (status: number) => status >= 300 && status < 400;
    if (smokeOk) {
      const warm = outcomes({ isSuccess });
      await load({ url: appUrl, seconds: WARMUP_SECONDS, amount: warmPool.length, request: memberRequest({ pool: warmPool, cycle: false, build: submission.build, outcome: warm }).request });
      for (const memberId of warm.successes) successes.add(memberId);
    }

    if (smokeOk && runs("submit")) {
      console.log(`Form submissions: ${SECONDS} s at ${CONNECTIONS} connections, a new member each…`);
      const outcome = outcomes({ isSuccess });
      const requests = memberRequest({ pool: submitPool, cycle: false, build: submission.build, outcome });
      const result = await load({ url: appUrl, seconds: SECONDS, amount: submitPool.length, request: requests.request });
      const submit = statsOf(result, outcome.ok());
      for (const memberId of outcome.successes) successes.add(memberId);
      figure("form submissions", `${describe(submit, "submissions/s")}, ratio ${ratio(submit.rate).toFixed(2)}`);
      outcome.report("form submissions");
      if (requests.used() >= submitPool.length) console.log(`  the ${fmt(submitPool.length)} members for this phase ran out after ${submit.seconds} s: raise BENCH_MEMBERS`);
      row({ figure: `form POST, ${CONNECTIONS} connections`, target: `≥ ${TARGETS.submitRatio.toFixed(2)}×`, measured: `${describe(submit, "subm/s")} (${ratio(submit.rate).toFixed(2)}×)`, pass: ratio(submit.rate) >= TARGETS.submitRatio });
      row({ figure: `form POST failures (${CONNECTIONS} conn.)`, target: "0", measured: `${fmt(outcome.failed())} of ${fmt(result.requests.total)}`, pass: outcome.failed() === 0 });
    }

    if (smokeOk && runs("fixed")) {
      console.log(`Form submissions at a fixed ${FIXED_RATE}/s for ${SECONDS} s, a new member each…`);
      const outcome = outcomes({ isSuccess });
      const requests = memberRequest({ pool: fixedPool, cycle: false, build: submission.build, outcome });
      // autocannon spreads the rate over the connections, each sending its share at the start of
      // every second: a burst each second, which a p99 sees.
      const result = await load({ url: appUrl, seconds: SECONDS, overallRate: FIXED_RATE, amount: fixedPool.length, request: requests.request });
      const fixed = statsOf(result, outcome.ok());
      for (const memberId of outcome.successes) successes.add(memberId);
      figure(`form submissions at ${FIXED_RATE}/s`, describe(fixed, "submissions/s"));
      outcome.report(`form submissions at ${FIXED_RATE}/s`);
      row({ figure: `form POST at ${FIXED_RATE}/s: rate`, target: `${FIXED_RATE}/s`, measured: `${fmt(fixed.rate)} subm/s`, pass: fixed.rate >= FIXED_RATE * 0.95 });
      row({ figure: `form POST at ${FIXED_RATE}/s: p99`, target: `≤ ${TARGETS.fixedP99Ms} ms`, measured: `p50 ${fmt(fixed.p50)} ms, p99 ${fmt(fixed.p99)} ms, ${fmt(outcome.failed())} failed`, pass: fixed.p99 <= TARGETS.fixedP99Ms && outcome.failed() === 0 });
    }
  }

  if (rss) {
    rss.stop();
    figure("web peak RSS (MB, process tree)", `${fmt(rss.peak())} (${rss.processes()} process${rss.processes() === 1 ? "" : "es"})`);
    row({ figure: "web peak RSS during load", target: `≤ ${TARGETS.rssMb} MB`, measured: `${fmt(rss.peak())} MB`, pass: rss.peak() <= TARGETS.rssMb });
  }

  if (runs("submit") || runs("fixed")) {
    console.log("Checking every objection in the database…");
    // Let requests cut off at the end of a run finish on the server before counting.
    await sleep(2000);
    const check = await checkObjections({ pool, successes });
    row({
      figure: "nothing lost, nothing doubled",
      target: "exactly 1",
      measured: `${fmt(check.exact)}/${fmt(successes.size)} exact, ${check.lost} lost, ${check.doubled} doubled, ${check.incomplete + check.orphans} incomplete`,
      pass: check.pass,
    });
  }

  if (runs("drain")) {
    await jobs();
    const before = await receiptBacklog(pool);
    console.log(`Receipt backlog from the submissions: ${fmt(before)}; topping it up to ${fmt(DRAIN_JOBS)}…`);
    since = process.hrtime.bigint();
    const added = await topUpBacklog({ pool, backlog: before });
    const backlog = await receiptBacklog(pool);
    figure("drain: jobs added in SQL + pg-boss insert", `${fmt(added)} (${seconds(since).toFixed(1)} s)`);
    figure("drain: backlog", fmt(backlog));
    const sentBefore = await sinkCount(sink);

    const spawned = process.hrtime.bigint();
    const worker = startWorker({ env, logs: LOGS });
    parts.push(worker);
    watchLogs(worker);
    let ready = false;
    worker.child.stdout?.on("data", (chunk: Buffer) => (ready ||= /\bready\b/.test(chunk.toString())));
    while (!ready && seconds(spawned) < 60 && worker.child.exitCode === null) await sleep(50);
    if (worker.child.exitCode !== null) throw new Error(`The worker exited with code ${worker.child.exitCode}`);
    figure("drain: worker start-up (s)", seconds(spawned).toFixed(1));

    // Timed from the worker's "ready", bounded: a slow worker is measured over the window, not waited for.
    const from = process.hrtime.bigint();
    let remaining = backlog;
    let lastReport = 0;
    while (remaining > 0 && seconds(from) < DRAIN_MAX_SECONDS) {
      await sleep(250);
      stopIfInterrupted();
      remaining = await receiptBacklog(pool);
      if (seconds(from) - lastReport >= 15) {
        lastReport = seconds(from);
        console.log(`  ${fmt(lastReport)} s: ${fmt(backlog - remaining)} receipts done, ${fmt(remaining)} left`);
      }
    }
    const elapsed = seconds(from);
    const done = backlog - remaining;
    const rate = done / elapsed;
    const sent = (await sinkCount(sink)) - sentBefore;
    const { rows: failedRows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'failed'`, [RECEIPT_QUEUE]);
    await worker.stop();
    const drained = remaining === 0;
    // With more than DRAIN_JOBS waiting (a fast form), or not drained, scale the measured rate.
    const forTenThousand = drained && backlog === DRAIN_JOBS ? elapsed : DRAIN_JOBS / rate;
    figure("drain: receipts done / emails at the sink", `${fmt(done)} / ${fmt(sent)} in ${elapsed.toFixed(1)} s (${failedRows[0]!.n} failed)`);
    figure("drain: receipts/s", fmt(rate, 1));
    figure(`drain: ${fmt(DRAIN_JOBS)} receipts (s)`, drained ? elapsed.toFixed(1) : `not drained within ${DRAIN_MAX_SECONDS} s (${fmt(remaining)} left); at this rate ${fmt(forTenThousand)} s`);
    row({ figure: "receipt drain rate (1 worker)", target: `≥ ${TARGETS.drainRate}/s`, measured: `${fmt(rate, 1)} receipts/s`, pass: rate >= TARGETS.drainRate });
    row({
      figure: `receipt drain, ${fmt(DRAIN_JOBS)} jobs`,
      target: `≤ ${TARGETS.drainSeconds} s`,
      measured: drained ? `${elapsed.toFixed(1)} s for ${fmt(backlog)}` : `not drained in ${DRAIN_MAX_SECONDS} s: ${fmt(remaining)} left (≈ ${fmt(forTenThousand)} s at this rate)`,
      pass: drained && forTenThousand <= TARGETS.drainSeconds,
    });
  }
  figure("bench total (s)", seconds(started).toFixed(0));
};

// Ctrl-C or a kill: stop the load, every process and the database, then go. `on`, not `once`:
// tsx relays the terminal's SIGINT a second time, and a second signal with no listener left
// would end the process before the database is dropped.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    console.error(`\n${signal}: stopping everything…`);
    interrupted = true;
    currentLoad?.stop();
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    if (interrupted) return;
    console.error(`The benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    printSummary();
    await cleanup();
    process.exit(interrupted ? 130 : undefined);
  });
