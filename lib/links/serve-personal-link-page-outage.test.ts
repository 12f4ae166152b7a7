import { randomUUID } from "node:crypto";

import { NextRequest } from "next/server";
import { expect, it } from "vitest";

import { personalLinkToken } from "@/lib/links/personal-link-url";
import { servePersonalLinkPage } from "@/lib/links/serve-personal-link-page";
import { setupRefusedDatabase } from "@/test/refused-database";

setupRefusedDatabase();

it("answers a personal link with the outage page (503, Retry-After) while the database is down, never a 500", async () => {
  const token = personalLinkToken({ subject: { kind: "notification", id: randomUUID() } });
  const request = new NextRequest(`http://localhost/o/${token}`, { headers: { "accept-language": "de" } });
  const response = await servePersonalLinkPage(request, { nonce: "n" });
  expect(response?.status).toBe(503);
  expect(response?.headers.get("retry-after")).toBe("5");
  const html = (await response?.text()) ?? "";
  expect(html).toContain('<html lang="de">');
  // One way on: this same link, once the database answers again.
  expect(html).toContain(`href="/o/${token}"`);
});
