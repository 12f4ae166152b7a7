// The bounce listener: `npm run bounces`. BOUNCE_DOMAIN's MX points here; it takes delivery status
// notifications and abuse reports for BOUNCE_LOCAL+<notification id>.<day>.<mac>@BOUNCE_DOMAIN and
// records them on their notification, once it believes them (the MAC is checked with LINK_SECRETS:
// run it with the workers' link keys). Run as many as you like, behind one MX or several: a report is
// stored in one statement and the same report twice changes nothing. With BOUNCE_TLS_KEY and
// BOUNCE_TLS_CERT it offers STARTTLS (read at start: restart it after renewing the certificate).
import { readBounceTls } from "@/lib/bounces/bounce-env";
import { startBounceListener } from "@/lib/bounces/start-bounce-listener";
import { assertEnv, env } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { logger } from "@/lib/logger";
import { closePgPool } from "@/lib/pg";

/** The key and certificate, read and matched; else one line on stderr (never the key) and exit 1, as assertEnv does. */
const readTlsOrExit = (source: { BOUNCE_TLS_KEY?: string; BOUNCE_TLS_CERT?: string }) => {
  try {
    return readBounceTls(source);
  } catch (error) {
    if (!isAppError(error, "not_configured")) throw error;
    console.error(error.message);
    process.exit(1);
  }
};

const main = async () => {
  // Log lines say which process wrote them (before the logger is first made).
  process.env.OBJECTION_SERVICE ??= "bounces";
  assertEnv();
  const { BOUNCE_DOMAIN, BOUNCE_LOCAL, BOUNCE_SMTP_PORT, BOUNCE_TLS_KEY, BOUNCE_TLS_CERT } = env();
  if (!BOUNCE_DOMAIN) {
    console.error('Invalid environment: BOUNCE_DOMAIN is missing: the listener takes mail for BOUNCE_LOCAL+<id>@BOUNCE_DOMAIN. See docs/campaigns.md, "Bounces".');
    process.exit(1);
  }
  // Read here, not by the environment check every process runs: only this host has the files, and
  // only this process should need to read the key.
  const tls = readTlsOrExit({ BOUNCE_TLS_KEY, BOUNCE_TLS_CERT });
  const listener = await startBounceListener({ port: BOUNCE_SMTP_PORT, local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN, tls });
  logger().info({ event: "bounces_ready", port: listener.port, domain: BOUNCE_DOMAIN, starttls: !!tls }, "bounce listener ready");

  const shutdown = async (signal: string) => {
    logger().info({ event: "bounces_stopping", signal }, "finishing sessions in flight");
    await listener.stop();
    await closePgPool();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
};

main().catch((error: unknown) => {
  logger().fatal({ event: "bounces_start_failed", error }, "the bounce listener could not start");
  process.exit(1);
});
