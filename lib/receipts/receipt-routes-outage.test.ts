import { randomUUID } from "node:crypto";

import { expect, it } from "vitest";

import { GET as getJwks } from "@/app/.well-known/jwks.json/route";
import { GET as getStatusReceipt } from "@/app/s/[token]/receipt/route";
import { personalLinkToken } from "@/lib/links/personal-link-url";
import { setupRefusedDatabase } from "@/test/refused-database";

setupRefusedDatabase();

it("answers the JWKS and a status link's receipt with 503 and Retry-After while the database is down, never a 500", async () => {
  const jwks = await getJwks();
  expect(jwks.status).toBe(503);
  expect(jwks.headers.get("retry-after")).toBe("5");

  const token = personalLinkToken({ subject: { kind: "objection", id: randomUUID() } });
  const receipt = await getStatusReceipt(new Request(`http://localhost/s/${token}/receipt`), { params: Promise.resolve({ token }) });
  expect(receipt.status).toBe(503);
  expect(receipt.headers.get("retry-after")).toBe("5");
  expect(await receipt.text()).not.toContain(token);
});
