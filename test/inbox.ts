// maildev's inbox (its REST API, `/api/email`), read by the e2e specs, the demo's spec and the
// screenshot script: one way to list what arrived and to wait for one email.

export type TInboxEmail = { id: string; subject: string; text: string; html: string; to: { address: string }[] };

const POLL_MS = 250;

/** Everything the inbox holds, oldest first. */
export const readInbox = async (inboxUrl: string) => (await (await fetch(`${inboxUrl}/api/email`)).json()) as TInboxEmail[];

/** Exact: a test that types an address in other letter case asserts what the app normalised it to. */
export const isTo = (email: TInboxEmail, address: string) => email.to.some((to) => to.address === address);

/** The emails to `address`, oldest first. */
export const emailsTo = async ({ inboxUrl, address }: { inboxUrl: string; address: string }) => (await readInbox(inboxUrl)).filter((email) => isTo(email, address));

/** Polls until an email `matches` (the oldest such, or the newest with `newest`); undefined after `timeoutMs`. */
export const findEmail = async ({ inboxUrl, matches, timeoutMs, newest = false }: { inboxUrl: string; matches: (email: TInboxEmail) => boolean; timeoutMs: number; newest?: boolean }) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await readInbox(inboxUrl)).filter(matches);
    if (found.length > 0) return newest ? found.at(-1) : found[0];
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return undefined;
};

/** The first email to `address` (with `subject`, if given); throws after `timeoutMs`. */
export const waitForEmailTo = async ({ inboxUrl, address, subject, timeoutMs = 30_000 }: { inboxUrl: string; address: string; subject?: string; timeoutMs?: number }) => {
  const found = await findEmail({ inboxUrl, timeoutMs, matches: (email) => isTo(email, address) && (!subject || email.subject === subject) });
  if (!found) throw new Error(`No email to ${address} arrived within ${timeoutMs / 1000} s`);
  return found;
};
