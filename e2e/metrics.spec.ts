import en from "../messages/en.json";
import { TEST_ENV } from "../test/test-env";
import { expect, test } from "./fixtures";

test("the metrics endpoint answers Prometheus with the token, and nobody without it", async ({ request, createMember, page }) => {
  const member = await createMember();
  await page.goto(member.path);
  await page.getByRole("button", { name: en.form.submit }).click();

  const refused = await request.get("/api/metrics");
  expect(refused.status()).toBe(401);
  expect(await refused.text()).not.toContain("objection_objections");

  const response = await request.get("/api/metrics", { headers: { authorization: `Bearer ${TEST_ENV.METRICS_TOKEN}` } });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const text = await response.text();
  const effective = Number(/^objection_objections\{status="effective"\} (\d+)$/m.exec(text)?.[1]);
  expect(effective).toBeGreaterThanOrEqual(1);
  expect(text).toMatch(/^objection_web_process_cpu_seconds_total \d/m);
});
