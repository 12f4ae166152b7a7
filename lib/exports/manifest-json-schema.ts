import { z } from "zod";

import { EXPORT_SCHEMA_VERSION, ZExportManifest } from "@/lib/exports/export-manifest";

/** Where the generated schema lives; docs/export-format.md embeds the same text. */
export const MANIFEST_SCHEMA_PATH = "docs/manifest.schema.json";

// A URN rather than a URL: nothing is served at an address, and a URL would invite fetching it.
export const MANIFEST_SCHEMA_ID = `urn:objection:export-manifest:${EXPORT_SCHEMA_VERSION}`;

/**
 * The JSON Schema (draft 2020-12) of manifest.json, generated from ZExportManifest so that the
 * pipeline's validator and the exporter's parser cannot disagree. "output" describes what the
 * exporter writes: every object is closed (`additionalProperties: false`).
 */
export const manifestJsonSchema = () => {
  const { $schema, ...generated } = z.toJSONSchema(ZExportManifest, { target: "draft-2020-12", io: "output", unrepresentable: "throw" });
  return {
    $schema,
    $id: MANIFEST_SCHEMA_ID,
    title: `Objection export manifest.json, schema version ${EXPORT_SCHEMA_VERSION}`,
    description:
      "The signed manifest written last into each export run's folder (<location>/<runId>/manifest.json). The API's GET /api/v1/exports/latest adds an unsigned acknowledgedAt, which is not part of this schema: drop it before validating. See docs/export-format.md.",
    ...generated,
  };
};

/** The file's exact text: 2-space JSON and a final newline, as the docs embed it. */
export const manifestJsonSchemaText = () => `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
