import "server-only";

import type { z } from "zod";

import { ZEnv } from "@/lib/env";

// What each environment variable means, for the one table that documents them: docs/operations.md,
// "Environment", between the env-table markers. `npm run docs:env` writes the table from this list
// and from ZEnv (whether a variable is required, and its default); lib/env-docs.test.ts fails when
// the two disagree. A variable is added to ZEnv (lib/env.ts) and here, in the row order of the table.

export type TEnvVariable = keyof z.input<typeof ZEnv>;

export type TEnvDoc = {
  /** The table's words. */
  meaning: string;
  /**
   * When a variable the schema lets go unset is needed after all ("for the admin console"). Without
   * it the column says "yes", or "no" with the schema's default.
   */
  required?: string;
  /** A variable lib/env.ts does not read: who does, and the file that reads it. */
  readBy?: { who: string; file: string };
};

export const ENV_DOCS = {
  DATABASE_URL: { meaning: "PostgreSQL, `postgresql://user:pass@host:5432/db`" },
  DIRECT_DATABASE_URL: {
    meaning:
      "PostgreSQL itself when `DATABASE_URL` names a pooler such as PgBouncer: migrations (`npm run db:migrate`) and the work that needs a session of its own (an export run's lock and temporary tables, the member import's `COPY`) connect here, at most 2 connections a process. Unset: `DATABASE_URL`, which then must be PostgreSQL itself; see [PgBouncer](#pgbouncer)",
  },
  DATABASE_POOL_SIZE: { meaning: "the most connections one process (a web instance, a worker or a script) opens to `DATABASE_URL`: one pool that Prisma, the bulk and hot SQL paths and pg-boss share (an export run or a member import adds at most 2 to `DIRECT_DATABASE_URL`, and reads at most 4 to `DATABASE_READ_URL`). At least 2; see [Deploy and scale out](#deploy-and-scale-out) for sizing" },
  DATABASE_READ_URL: {
    meaning:
      "a streaming replica of `DATABASE_URL`'s database: the console's lists and dashboard, the notices API and metrics read there, at most 4 connections a process; when it is down or too far behind, they read the primary. Never the export. Unset: everything reads `DATABASE_URL`; see [Read replica](#read-replica)",
  },
  READ_REPLICA_MAX_LAG_SECONDS: { meaning: "past this lag, the replica's reads go to the primary; an admin's pages read the primary this long after each change they make in the console" },
  APP_URL: { meaning: "public base URL, used in links: `https://objection.example.eu`" },
  SMTP_URL: { meaning: "`smtp://user:pass@host:587` or `smtps://…:465`; pooled" },
  MAIL_FROM: { meaning: "`Objection <no-reply@example.eu>`" },
  DKIM_DOMAIN: { meaning: "with `DKIM_SELECTOR` and `DKIM_PRIVATE_KEY` (all three or none): every email is DKIM-signed (`d=`), e.g. `example.eu`, the domain of `MAIL_FROM` so that DMARC aligns" },
  DKIM_SELECTOR: { meaning: "the key's selector (`s=`): its public key is the TXT record `<selector>._domainkey.<DKIM_DOMAIN>`, `v=DKIM1; k=rsa; p=<base64 SPKI>`" },
  DKIM_PRIVATE_KEY: { meaning: "RSA private key, PEM (`\\n` for line breaks is fine), at least 1024 bits, 2048 advised: `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`" },
  BOUNCE_DOMAIN: { meaning: "bounces come back to `BOUNCE_LOCAL+<notification id>.<day>.<mac>@BOUNCE_DOMAIN`, each notice's envelope sender (VERP, signed with a key derived from the link key); its MX points at the bounce listener. Unset: the envelope sender is `MAIL_FROM`'s address" },
  BOUNCE_LOCAL: { meaning: "the local part of those addresses, without `+`, at most 12 characters (the whole local part must fit SMTP's 64)" },
  BOUNCE_SMTP_PORT: { meaning: "the port `npm run bounces` listens on; `BOUNCE_DOMAIN`'s MX is reached on port 25, so forward that here (see [campaigns.md](campaigns.md#bounces))" },
  BOUNCE_TLS_KEY: { meaning: "with `BOUNCE_TLS_CERT` (both or none): PEM files of a private key and its certificate; the bounce listener then offers `STARTTLS`" },
  BOUNCE_TLS_CERT: { meaning: "the certificate for `BOUNCE_TLS_KEY` (PEM file, its chain may follow)" },
  LINK_SECRET: { required: "yes, or `LINK_SECRETS`", meaning: "≥ 32 characters; signs personal and status links. Changing it alone invalidates every link sent: rotate with `LINK_SECRETS` ([Rotating the link key](#rotating-the-link-key))" },
  LINK_SECRETS: { meaning: "the link keys, comma-separated, current first, each ≥ 32 characters and none twice: the first signs new links, every one listed opens a link it signed. If `LINK_SECRET` is set too, it must be the first" },
  LINK_TTL_DAYS: { meaning: "lifetime of a personal link" },
  MAIL_POOL_SIZE: { meaning: "SMTP connections per worker" },
  MAIL_RATE_PER_SEC: { meaning: "emails per second per worker; 0 is unlimited" },
  MAIL_DOMAIN_RATES: { meaning: "(workers) emails per second to a recipient domain across all workers, `domain=rate,…`, e.g. `gmail.com=300,outlook.com=150`; whole numbers ≥ 1, each domain once, matched exactly (see \"Per-domain pacing\" in [campaigns.md](campaigns.md))" },
  CAMPAIGN_BATCH_SIZE: { meaning: "notifications per send job" },
  CAMPAIGN_BATCH_EXPIRE_SECONDS: { meaning: "after this, a send job whose worker died runs again" },
  CAMPAIGN_BATCH_RETRY_LIMIT: { meaning: "retries of a send job (exponential backoff from 2 s) before its campaign becomes `failed`" },
  JOBS_MAINTENANCE_SECONDS: { meaning: "how often workers look for expired jobs" },
  JOBS_CRON_CHECK_SECONDS: { meaning: "how often workers send the jobs their schedules (nightly export, checks, prunes) have made due, 1 to 45; a scheduled job starts up to this late" },
  WORKER_BATCH_CONCURRENCY: { meaning: "send jobs one worker runs at once" },
  RECEIPT_BATCH_SIZE: { meaning: "receipt jobs a worker fetches at once and sends side by side" },
  RECEIPT_WORKERS: { meaning: "receipt batches one worker runs at once" },
  RECEIPT_EXPIRE_SECONDS: { meaning: "after this, a receipt job whose worker died runs again (set where objections are stored: the web instances)" },
  PORT: {
    readBy: { who: "`npm start` (Next.js)", file: "lib/links/cached-page-render.ts" },
    required: "no (3000)",
    meaning: "the port a web instance listens on; the link page's cached render reaches the instance itself on it",
  },
  WEB_MAX_HEAP_MB: {
    readBy: { who: "`npm start`", file: "package.json" },
    required: "no (192)",
    meaning: "the web process's V8 heap limit (without one, V8 lets it grow to gigabytes under load)",
  },
  SHUTDOWN_DRAIN_SECONDS: {
    readBy: { who: "`npm start`", file: "scripts/start-web.mjs" },
    required: "no (2)",
    meaning: "on SIGTERM, how long a web instance still takes connections while `/api/health` answers `503`, so the load balancer's checks take it out before it closes its port: at least the time your load balancer needs to mark an instance down; `0` closes at once (see [Stopping a web instance](#stopping-a-web-instance))",
  },
  SHUTDOWN_GRACE_SECONDS: {
    readBy: { who: "`npm start`", file: "scripts/start-web.mjs" },
    required: "no (20)",
    meaning: "on SIGTERM, how long (from the signal, the drain included) a web instance lets its requests in flight finish before it cuts what is left and exits `0`; keep it below your orchestrator's kill timeout (see [Stopping a web instance](#stopping-a-web-instance))",
  },
  LOG_LEVEL: {
    readBy: { who: "`lib/logger.ts`, in every process", file: "lib/logger.ts" },
    required: "no (`info`)",
    meaning: "the lowest level of log line printed (pino's `debug`, `info`, `warn`, `error`)",
  },
  PLATFORM_API_RATE_PER_MINUTE: { meaning: "platform API requests per token per minute" },
  LINK_REQUESTS_PER_IP_PER_HOUR: { meaning: "`/object` requests one visitor may make an hour (each address also gets at most 3 of these emails a day)" },
  LINK_REQUESTS_PER_HOUR: { meaning: "`/object` requests from all visitors together an hour: a ceiling on the emails the form can send, however many addresses someone uses. Past it the form answers `429` (the same page as a visitor's limit), the console's dashboard warns, and `/api/metrics` counts each refusal (`objection_events_total{event=\"link_request_refused_ceiling\"}`)" },
  TRUSTED_PROXIES: { meaning: "where the visitor's address (for `LINK_REQUESTS_PER_IP_PER_HOUR`) comes from; see [The visitor's address](#the-visitors-address-trusted_proxies). `0`: no proxy, the address of the socket the request came in on. `1`: one proxy that appends to `X-Forwarded-For` (a load balancer); `2`: two (a CDN, then a load balancer), and so on: the entry this many from the end" },
  BRAND_NAME: { meaning: "the platform's name, in the header, every page title and every email: `Example Social`" },
  PRIVACY_NOTICE_URL: { meaning: "the platform's privacy notice (http/https), linked from every page and email" },
  CONTROLLER_NAME: { meaning: "who is responsible for the data (GDPR Art. 13): `Example Social Europe Ltd`" },
  CONTROLLER_ADDRESS: { meaning: "its postal address, one line" },
  DPO_CONTACT: { meaning: "the data protection officer: an email address or an https page" },
  BRAND_COLOR: { meaning: "buttons and links; white text on it must reach 4.5:1 (WCAG AA), else start-up names it" },
  BRAND_LOGO: { meaning: "path of a logo file (PNG shows in every mail client; SVG, JPEG, WebP; ≤ 200 kB), served at `/brand/logo`" },
  DEMO_MODE: { meaning: "`1` serves the demo integration page `/demo/app/<externalId>`" },
  TRAINING_STARTS_AT: {
    meaning:
      "the day AI training starts, an ISO date (`2027-03-01`): the notice email, the objection form and the confirmation name it, and the confirmation says whether the objection (by its stored time) came before it (out of the first training run) or after (out of later runs only). Unset, none names a date",
  },
  RECEIPT_LINK_TTL_DAYS: { meaning: "lifetime of the status link in a receipt" },
  AUTH_SECRET: { required: "for the admin console", meaning: "≥ 32 characters; signs Auth.js's cookies and hashes its sign-in tokens (without it, `/admin/sign-in` says sign-in is not set up)" },
  PLATFORM_API_TOKEN: { required: "for the API", meaning: "≥ 32 characters; bearer token of the platform API (without it the API answers 503)" },
  EXPORT_API_TOKEN: { required: "for the pipeline API", meaning: "≥ 32 characters; bearer token of the pipeline API" },
  METRICS_TOKEN: { required: "for monitoring", meaning: "≥ 32 characters; bearer token of `GET /api/metrics` (Prometheus). Without it the endpoint answers 503" },
  EXPORT_HASH_KEY: { required: "for exports", meaning: "≥ 32 characters; HMAC key for emails in exports (without it, or without `EXPORT_SIGNING_KEY`, the nightly export is off)" },
  EXPORT_HASH_KEY_ID: { required: "no (from the key)", meaning: "names the hash key in manifests; change it with the key (a changed key under the same id is refused)" },
  EXPORT_SIGNING_KEY: { required: "for exports", meaning: "Ed25519 private key, PEM (PKCS#8; `\\n` for line breaks is fine); signs manifests. `npm run export:keygen`" },
  RECEIPT_SIGNING_KEY: {
    required: "for signed receipts",
    meaning:
      "Ed25519 private key, PEM (PKCS#8; `\\n` for line breaks is fine); signs `objection-receipt.jwt`, attached to receipts and withdrawal confirmations and offered on the status page. Its public half is listed at `GET /.well-known/jwks.json`, with every key that signed before it. Unset: emails go without the file and the status page offers none (the worker and the app warn at start). `npm run export:keygen` makes one; see [docs/receipts.md](receipts.md)",
  },
  EXPORT_STORAGE: { meaning: "`s3://bucket/prefix`: runs go to S3-compatible storage (AWS SDK variables for credentials and endpoint)" },
  EXPORT_S3_FORCE_PATH_STYLE: { meaning: "`1` for endpoints that need path-style URLs (MinIO, Ceph, s3rver)" },
  EXPORT_DIR: { meaning: "folder for runs when `EXPORT_STORAGE` is not set" },
  EXPORT_FORMAT: { meaning: "format of the nightly run: `csv`, `jsonl` or `parquet`" },
  EXPORT_KEEP_RUNS: { meaning: "runs that keep their files; older ones go once a newer run is acknowledged" },
  WEBHOOK_ALLOW_PRIVATE: { meaning: "`1` lets webhook endpoints be private and loopback addresses, over `http://` too (tests, closed networks); link-local addresses (cloud metadata) are refused whatever it says. See [docs/webhooks.md](webhooks.md)" },
  WEBHOOK_SECRET_GRACE_HOURS: { meaning: "after `POST /api/v1/webhooks/{id}/rotate-secret`, deliveries carry the old secret's signature too for this long" },
  WEBHOOK_ENDPOINT_CONCURRENCY: { meaning: "deliveries one worker has in flight to one endpoint at most" },
  WEBHOOK_TIMEOUT_SECONDS: { meaning: "a receiver that has not answered a delivery within this many seconds (1 to 60) fails it, and it is retried. A worker's claim on a delivery lasts three times this: a worker that died mid-delivery leaves its deliveries to the others after it. See [docs/webhooks.md](webhooks.md)" },
  EXPORT_RUN_TIMEOUT_MINUTES: { meaning: "a run still `running` after this is marked `failed`" },
  EXPORT_CRON: { meaning: "when the nightly export runs, UTC" },
  ADMIN_EMAILS: { required: "for the admin console", meaning: "comma-separated addresses that become `admin` on first sign-in; they invite everyone else" },
  ADMIN_OIDC_ISSUER: { required: "for single sign-on", meaning: "the OpenID provider staff sign in through (`https://`; `http://` only on a loopback address). Set with `ADMIN_OIDC_CLIENT_ID` and `ADMIN_OIDC_CLIENT_SECRET`, or none of them." },
  ADMIN_OIDC_CLIENT_ID: { required: "for single sign-on", meaning: "the console's client id at that provider; its redirect URI is `${APP_URL}/api/auth/callback/oidc`" },
  ADMIN_OIDC_CLIENT_SECRET: { required: "for single sign-on", meaning: "the client's secret, sent to the token endpoint by `client_secret_basic`" },
  ADMIN_OIDC_NAME: { meaning: "the sign-in button's label: \"Sign in with …\"" },
  ADMIN_OIDC_SCOPES: { required: "no (`openid email profile groups`)", meaning: "scopes asked for, separated by spaces; must include `openid` and `email`" },
  ADMIN_OIDC_ROLES_CLAIM: { meaning: "the claim (in the ID token, or from userinfo) that lists a user's groups" },
  ADMIN_OIDC_ROLE_MAP: { meaning: "`group=role` pairs, comma-separated (`privacy-admins=admin,privacy-reviewers=reviewer,privacy-viewers=viewer`): the highest role of a user's groups is theirs at each sign-in, whatever an invitation said; no mapped group, no access. Unset: single sign-on only proves who signs in, and the role is the invitation's (no invitation, no access)" },
  ADMIN_EMAIL_SIGN_IN: { meaning: "`0` turns the emailed sign-in link off: the sign-in page shows the single sign-on button, and only the break-glass addresses of `ADMIN_EMAILS` get a link (at `/admin/sign-in/break-glass`), each such sign-in audited as break-glass. Needs single sign-on set up" },
  ADMIN_SSO_RECHECK_MINUTES: {
    meaning:
      "how often a single sign-on session is checked again with the provider (its refresh token; the worker looks every minute): refused, or no mapped group left, ends it; another mapped group changes the role; an unreachable provider ends nothing (see console.md)",
  },
} satisfies Record<TEnvVariable, TEnvDoc> & Record<string, TEnvDoc>;

export const ENV_TABLE_START = "<!-- env-table:start -->";
export const ENV_TABLE_END = "<!-- env-table:end -->";

type TField = { safeParse: (value: unknown) => { success: boolean; data?: unknown } };

const fields = ZEnv.in.shape as Record<string, TField>;

/** What the schema says of a variable left unset: required ("yes"), or not, with its default. */
const schemaRequired = (name: string) => {
  const unset = fields[name]!.safeParse(undefined);
  if (!unset.success) return "yes";
  const fallback = unset.data;
  if (typeof fallback === "number" || (typeof fallback === "string" && /^[0-9]+$/.test(fallback))) return `no (${fallback})`;
  if (typeof fallback === "string") return `no (\`${fallback}\`)`;
  return "no";
};

const required = (name: string, doc: TEnvDoc) => {
  if (doc.readBy) return doc.required ?? "no";
  const fromSchema = schemaRequired(name);
  if (doc.required === undefined) return fromSchema;
  // A qualified answer only for what the schema lets go unset: the table never calls optional what start-up refuses.
  if (fromSchema === "yes") throw new Error(`${name} is required by ZEnv: drop its \`required\` in lib/env-docs.ts`);
  return doc.required;
};

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The Markdown table of every variable, as docs/operations.md holds it between the markers. */
export const envTable = () =>
  [
    "| variable | required | meaning |",
    "| --- | --- | --- |",
    ...Object.entries(ENV_DOCS).map(([name, doc]: [string, TEnvDoc]) => {
      const meaning = doc.readBy ? `read by ${doc.readBy.who}: ${doc.meaning}` : doc.meaning;
      return `| \`${name}\` | ${cell(required(name, doc))} | ${cell(meaning)} |`;
    }),
  ].join("\n");

/** The document with its table replaced by `table`; throws when the markers are missing. */
export const withEnvTable = (markdown: string, table: string) => {
  const start = markdown.indexOf(ENV_TABLE_START);
  const end = markdown.indexOf(ENV_TABLE_END);
  if (start < 0 || end < start) throw new Error(`docs/operations.md lacks ${ENV_TABLE_START} … ${ENV_TABLE_END}`);
  return `${markdown.slice(0, start + ENV_TABLE_START.length)}\n${table}\n${markdown.slice(end)}`;
};
