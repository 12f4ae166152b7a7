import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";

import { manifestSignatureProblem, signManifest, type TUnsignedManifest, ZExportManifest } from "@/lib/exports/export-manifest";
import { MANIFEST_SCHEMA_ID, MANIFEST_SCHEMA_PATH, manifestJsonSchema, manifestJsonSchemaText } from "@/lib/exports/manifest-json-schema";
import { signingKeyId } from "@/lib/exports/signing-key";
import { TEST_PUBLIC_KEY, TEST_SIGNING_KEY } from "@/test/export-fixtures";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const schemaFile = () => readFileSync(path.join(ROOT, MANIFEST_SCHEMA_PATH), "utf8");
const formatDoc = () => readFileSync(path.join(ROOT, "docs/export-format.md"), "utf8");

/** The bodies of the doc's ```json blocks, with the text each parses to. */
const jsonBlocks = (markdown: string) =>
  [...markdown.matchAll(/^```json\n([\s\S]*?)\n```$/gm)].map(([, body = ""]) => ({ body, json: JSON.parse(body) as Record<string, unknown> }));

const UNSIGNED: TUnsignedManifest = {
  schemaVersion: 2,
  runId: "3f1c9a4e-8b2d-4c7a-9e51-0d6b2f8a7c13",
  previousRunId: "b7e2d058-1a4f-4e39-8c6d-5f9a0e3b2d71",
  cutoff: "2026-12-02T02:00:00.118Z",
  previousCutoff: "2026-12-01T02:00:00.094Z",
  format: "csv",
  hashKeyId: "test-hash-key",
  previousLastSeq: 48211,
  lastSeq: 48230,
  files: [
    { name: "snapshot.csv", kind: "snapshot", rows: 31877, bytes: 5412760, sha256: "a".repeat(64) },
    { name: "delta.csv", kind: "delta", rows: 19, bytes: 3351, sha256: "b".repeat(64) },
  ],
};

// Formats off: the generated schema carries a `pattern` beside every `format`, and the pipeline's
// validator may well lack ajv-formats; the test checks what such a validator checks.
const validator = () => new Ajv2020({ strict: true, validateFormats: false }).compile(manifestJsonSchema());

describe("manifest.json's JSON Schema", () => {
  it("docs/manifest.schema.json is what the generator makes from ZExportManifest now", () => {
    expect(schemaFile(), "run `npm run export:manifest-schema -- --write`, then paste the file into docs/export-format.md").toBe(manifestJsonSchemaText());
  });

  it("docs/export-format.md embeds docs/manifest.schema.json unchanged", () => {
    const embedded = jsonBlocks(formatDoc()).filter(({ json }) => json.$id === MANIFEST_SCHEMA_ID);
    expect(embedded).toHaveLength(1);
    expect(`${embedded[0]!.body}\n`, "paste docs/manifest.schema.json into the JSON Schema section of docs/export-format.md").toBe(schemaFile());
  });

  it("accepts a signed manifest and rejects one with a field missing or one too many", () => {
    const validate = validator();
    const manifest = signManifest({ manifest: UNSIGNED, privateKey: TEST_SIGNING_KEY });
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);

    const missing: Record<string, unknown> = { ...manifest };
    delete missing.lastSeq;
    expect(validate(missing)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: "required", params: { missingProperty: "lastSeq" } }));

    // The field the API's /latest adds: a pipeline must drop it before validating.
    expect(validate({ ...manifest, acknowledgedAt: null })).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: "additionalProperties", params: { additionalProperty: "acknowledgedAt" } }));
  });

  it("the doc's example manifest is valid and signed by the test key the doc shows", () => {
    const markdown = formatDoc();
    const example = jsonBlocks(markdown).find(({ json }) => json.schemaVersion === 2);
    expect(example).toBeDefined();
    const validate = validator();
    expect(validate(example!.json), JSON.stringify(validate.errors)).toBe(true);
    expect(markdown).toContain(TEST_PUBLIC_KEY.export({ format: "pem", type: "spki" }).toString());
    expect(manifestSignatureProblem({ manifest: ZExportManifest.parse(example!.json), publicKey: TEST_PUBLIC_KEY })).toBeNull();
  });
});

describe("manifestSignatureProblem", () => {
  const signed = () => signManifest({ manifest: UNSIGNED, privateKey: TEST_SIGNING_KEY });

  it("finds nothing wrong with the signing key's public half", () => {
    expect(manifestSignatureProblem({ manifest: signed(), publicKey: TEST_PUBLIC_KEY })).toBeNull();
  });

  it("names both key ids when another key is trusted", () => {
    const { publicKey: otherKey } = generateKeyPairSync("ed25519");
    const problem = manifestSignatureProblem({ manifest: signed(), publicKey: otherKey });
    expect(problem).toContain(signingKeyId(TEST_PUBLIC_KEY));
    expect(problem).toContain(signingKeyId(otherKey));
  });

  it("notices a lastSeq changed after signing", () => {
    const manifest = signed();
    expect(manifestSignatureProblem({ manifest: { ...manifest, lastSeq: manifest.lastSeq + 1 }, publicKey: TEST_PUBLIC_KEY })).toMatch(/does not match its content/);
  });
});
