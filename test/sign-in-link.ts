import { handlers } from "@/lib/auth/auth";
import type { fileSmtpSink } from "@/test/file-smtp-sink";
import { TEST_ENV } from "@/test/test-env";

// The emailed sign-in link, as the console's tests drive it through Auth.js's own route handlers.

type TSmtpSink = ReturnType<typeof fileSmtpSink>;

const AUTH_URL = `${TEST_ENV.APP_URL}/api/auth`;

/** Posts the sign-in form to Auth.js as a browser does: its CSRF token first, then the address. */
export const requestSignIn = async ({ email, ip }: { email: string; ip: string }) => {
  const csrf = await handlers.GET(new Request(`${AUTH_URL}/csrf`, { headers: { "x-forwarded-for": ip } }) as never);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  const response = await handlers.POST(
    new Request(`${AUTH_URL}/signin/nodemailer`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": ip },
      body: new URLSearchParams({ email, csrfToken, callbackUrl: `${TEST_ENV.APP_URL}/admin` }),
    }) as never,
  );
  return { status: response.status, location: response.headers.get("location") };
};

/** Waits for an email to `address` at the sink, as the worker sends it; null if none came within `ms`. */
export const emailTo = async ({ smtp, address, ms = 5_000 }: { smtp: TSmtpSink; address: string; ms?: number }) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const [message] = smtp.messagesTo(address);
    if (message) return message;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
};
