import { randomUUID } from "node:crypto";

import { expect, it } from "vitest";

import { objectionReference } from "@/lib/objections/objection-reference";

// Load-sized, so in the fault tier: a million references, about 7 s of CPU. The unit tests prove
// each reference leads back to its id; this counts distinct references at the scale of a country.
it("objection references never collide: 1,000,000 objections have 1,000,000 references", () => {
  const references = new Set<string>();
  for (let i = 0; i < 1_000_000; i++) references.add(objectionReference(randomUUID()));
  expect(references.size).toBe(1_000_000);
});
