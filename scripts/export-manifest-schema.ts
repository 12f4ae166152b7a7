// `npm run export:manifest-schema [-- --write]`: prints the JSON Schema of manifest.json generated
// from ZExportManifest, or writes it to docs/manifest.schema.json. Run with --write after changing
// the manifest's zod schema; then paste the same text into docs/export-format.md (a test compares
// all three).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { MANIFEST_SCHEMA_PATH, manifestJsonSchemaText } from "@/lib/exports/manifest-json-schema";

const main = () => {
  const { values } = parseArgs({ options: { write: { type: "boolean", default: false } }, strict: true });
  const text = manifestJsonSchemaText();
  if (!values.write) return void process.stdout.write(text);
  mkdirSync(path.dirname(MANIFEST_SCHEMA_PATH), { recursive: true });
  writeFileSync(MANIFEST_SCHEMA_PATH, text);
  console.error(`Wrote ${MANIFEST_SCHEMA_PATH}.`);
};

main();
