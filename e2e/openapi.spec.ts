import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { validate } from "@readme/openapi-parser";

import { expect, test } from "./fixtures";

/** Every route handler under app/api/v1, as "METHOD /path" with {params}. */
const routesInCode = () => {
  const root = path.join("app", "api", "v1");
  const routes: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const url = `/${path.dirname(full).replace(/^app\//, "").replace(/\[([^\]]+)\]/g, "{$1}")}`;
        for (const [, method] of readFileSync(full, "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) routes.push(`${method} ${url}`);
      }
    }
  };
  walk(root);
  return routes.sort();
};

test("GET /api/v1/openapi.json is a valid OpenAPI 3.1 document listing every route in the code", async ({ request }) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toBe("3.1.0");

  const result = await validate(structuredClone(document));
  expect(result.valid ? [] : result.errors).toEqual([]);

  const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
    .flatMap(([url, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${url}`))
    .sort();
  expect(documented).toEqual(routesInCode());

  // The request schemas are the ones the API validates with.
  expect(document.components.schemas.MemberSync.properties.members.maxItems).toBe(10_000);
  expect(document.components.schemas.ForwardedObjection.properties.source.enum).toEqual(["in_app_setting", "gpc"]);
});
