import { spawn } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readBounceTls } from "@/lib/bounces/bounce-env";
import { startBounceListener } from "@/lib/bounces/start-bounce-listener";
import { parseEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { closePgPool } from "@/lib/pg";
import { BOUNCE_DOMAIN, BOUNCE_LOCAL, deliveryStatusNotification, sendReport, TEST_BOUNCE_TLS, verpFor } from "@/test/bounce-fixtures";
import { createCampaign } from "@/test/factories";
import { VALID_ENV } from "@/test/valid-env";

const BOUNCES_SCRIPT = path.resolve(__dirname, "../../scripts/bounces.ts");
const SCRIPTS_TSCONFIG = path.resolve(__dirname, "../../tsconfig.scripts.json");
const TSX_LOADER = pathToFileURL(path.resolve(__dirname, "../../node_modules/tsx/dist/loader.mjs")).href;

let pool: pg.Pool;
let dir: string;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  dir = mkdtempSync(path.join(tmpdir(), "objection-bounce-tls-"));
});

afterAll(async () => {
  await pool.end();
  await closePgPool();
  rmSync(dir, { recursive: true, force: true });
});

/** The keywords a listener's EHLO reply lists. */
const ehloKeywords = (port: number) =>
  new Promise<string[]>((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let buffer = "";
    let greeted = false;
    socket.on("data", (chunk) => {
      buffer += chunk.toString();
      if (!greeted && buffer.includes("\r\n")) {
        greeted = true;
        buffer = "";
        socket.write("EHLO mx.example.eu\r\n");
      } else if (greeted && /^250 .*\r\n/m.test(buffer)) {
        socket.end("QUIT\r\n");
        resolve(buffer.split("\r\n").map((line) => line.slice(4).split(" ")[0]!).filter(Boolean));
      }
    });
    socket.on("error", reject);
  });

const sentNotice = async () => {
  const externalId = `tls-${randomUUID()}`;
  const campaign = await createCampaign({ db: pool, channels: ["email"], status: "done" });
  const { rows } = await pool.query<{ id: string }>(
    `WITH m AS (INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'DE', '1980-01-01') RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT id, $2, 'email', 'sent', now() FROM m RETURNING id`,
    [externalId, campaign.id],
  );
  return { id: rows[0]!.id, email: `${externalId}@example.eu` };
};

describe("STARTTLS on the bounce listener", () => {
  it("with a key and certificate, offers STARTTLS; a sender upgrades, trusting that certificate only, and its report is stored", async () => {
    const listener = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN, tls: { key: Buffer.from(TEST_BOUNCE_TLS.key), cert: Buffer.from(TEST_BOUNCE_TLS.cert) } });
    try {
      expect(await ehloKeywords(listener.port)).toContain("STARTTLS");
      const notice = await sentNotice();
      await sendReport({ port: listener.port, to: [verpFor(notice.id)], raw: deliveryStatusNotification({ notificationId: notice.id, recipient: notice.email, status: "5.1.1" }), ca: TEST_BOUNCE_TLS.cert });
      const { rows } = await pool.query<{ bounceKind: string | null }>(`SELECT "bounceKind" FROM "Notification" WHERE id = $1`, [notice.id]);
      expect(rows[0]!.bounceKind).toBe("hard");
    } finally {
      await listener.stop();
    }
  });

  it("without them, offers no STARTTLS (not smtp-server's built-in certificate), and a sender that requires TLS sends nothing", async () => {
    const listener = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN });
    try {
      expect(await ehloKeywords(listener.port)).not.toContain("STARTTLS");
      const notice = await sentNotice();
      const raw = deliveryStatusNotification({ notificationId: notice.id, recipient: notice.email, status: "5.1.1" });
      await expect(sendReport({ port: listener.port, to: [verpFor(notice.id)], raw, ca: TEST_BOUNCE_TLS.cert })).rejects.toThrow(/STARTTLS/);
      const { rows } = await pool.query<{ bounceKind: string | null }>(`SELECT "bounceKind" FROM "Notification" WHERE id = $1`, [notice.id]);
      expect(rows[0]!.bounceKind).toBeNull();
    } finally {
      await listener.stop();
    }
  });
});

describe("BOUNCE_TLS_KEY and BOUNCE_TLS_CERT", () => {
  const file = (name: string, content: string) => {
    const at = path.join(dir, name);
    writeFileSync(at, content);
    return at;
  };
  const problem = (read: () => unknown) => {
    try {
      read();
      return null;
    } catch (error) {
      if (isAppError(error, "not_configured")) return error.message;
      throw error;
    }
  };

  it("are read by the listener alone: every process takes a pair of paths (files it may not have), or neither, but not one without the other", () => {
    const absent = { BOUNCE_TLS_KEY: path.join(dir, "absent-key.pem"), BOUNCE_TLS_CERT: path.join(dir, "absent-cert.pem") };
    expect(parseEnv({ ...VALID_ENV, ...absent })).toMatchObject(absent);
    const plain = parseEnv(VALID_ENV);
    expect([plain.BOUNCE_TLS_KEY, plain.BOUNCE_TLS_CERT]).toEqual([undefined, undefined]);
    expect(problem(() => parseEnv({ ...VALID_ENV, BOUNCE_TLS_KEY: absent.BOUNCE_TLS_KEY }))).toContain("BOUNCE_TLS_KEY and BOUNCE_TLS_CERT must be set together, or neither");
    expect(problem(() => parseEnv({ ...VALID_ENV, BOUNCE_TLS_CERT: absent.BOUNCE_TLS_CERT }))).toContain("BOUNCE_TLS_KEY and BOUNCE_TLS_CERT must be set together, or neither");
  });

  it("gives the listener the key and its certificate, or nothing without them", () => {
    const key = file("key.pem", TEST_BOUNCE_TLS.key);
    const cert = file("cert.pem", TEST_BOUNCE_TLS.cert);
    expect(readBounceTls({ BOUNCE_TLS_KEY: key, BOUNCE_TLS_CERT: cert })).toEqual({ key: Buffer.from(TEST_BOUNCE_TLS.key), cert: Buffer.from(TEST_BOUNCE_TLS.cert) });
    expect(readBounceTls({})).toBeUndefined();
    expect(problem(() => readBounceTls({ BOUNCE_TLS_KEY: key }))).toContain("BOUNCE_TLS_KEY and BOUNCE_TLS_CERT must be set together, or neither");
  });

  it("refuses a missing file, a file that is no PEM key or certificate, and a certificate of another key, in one line that never echoes the key", () => {
    const key = file("key.pem", TEST_BOUNCE_TLS.key);
    const cert = file("cert.pem", TEST_BOUNCE_TLS.cert);
    const tlsProblem = (source: { BOUNCE_TLS_KEY: string; BOUNCE_TLS_CERT: string }) => problem(() => readBounceTls(source));
    expect(tlsProblem({ BOUNCE_TLS_KEY: path.join(dir, "absent.pem"), BOUNCE_TLS_CERT: cert })).toContain("BOUNCE_TLS_KEY must be the path of a readable PEM file holding a private key");
    expect(tlsProblem({ BOUNCE_TLS_KEY: cert, BOUNCE_TLS_CERT: cert })).toContain("BOUNCE_TLS_KEY must be the path of a readable PEM file holding a private key");
    expect(tlsProblem({ BOUNCE_TLS_KEY: key, BOUNCE_TLS_CERT: key })).toContain("BOUNCE_TLS_CERT must be the path of a readable PEM file holding a certificate");
    expect(tlsProblem({ BOUNCE_TLS_KEY: key, BOUNCE_TLS_CERT: dir })).toContain("BOUNCE_TLS_CERT must be the path of a readable PEM file holding a certificate");

    const other = file("other.pem", generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString());
    const mismatch = tlsProblem({ BOUNCE_TLS_KEY: other, BOUNCE_TLS_CERT: cert });
    expect(mismatch).toContain("BOUNCE_TLS_CERT must be the certificate of the key in BOUNCE_TLS_KEY");
    expect(mismatch).not.toMatch(/PRIVATE KEY|[\r\n]/);
  });

  it("stop the listener at its start, with one line on stderr and exit code 1, when the certificate is not the key's", async () => {
    const other = file("other-start.pem", generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString());
    const cert = file("cert-start.pem", TEST_BOUNCE_TLS.cert);
    // In an empty folder, so no .env file is read; the listener stops before it opens a connection.
    const child = spawn(process.execPath, ["--import", TSX_LOADER, BOUNCES_SCRIPT], {
      cwd: dir,
      env: { NODE_ENV: "production", PATH: process.env.PATH, TSX_TSCONFIG_PATH: SCRIPTS_TSCONFIG, ...VALID_ENV, BOUNCE_DOMAIN, BOUNCE_TLS_KEY: other, BOUNCE_TLS_CERT: cert },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, "close")) as [number | null];
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("BOUNCE_TLS_CERT must be the certificate of the key in BOUNCE_TLS_KEY");
  });
});
