/**
 * csv-parse's options both CSV imports (members, earlier objections) read rows with: each record
 * with its line, a BOM and blank lines ignored, values trimmed. A short row reaches validation,
 * which names the missing column; a long one is skipped as bad CSV, reported by the import's own
 * words (csv-parse's messages quote the offending value, which may be an email address).
 */
export const CSV_ROW_OPTIONS = {
  info: true,
  bom: true,
  trim: true,
  skip_empty_lines: true,
  relax_column_count_less: true,
  skip_records_with_error: true,
} as const;

/** The 1-based positions of a header's columns that are not among `columns`: positions, not names, as a file without a header row would have us echo its first row. */
export const unknownColumnPositions = (header: string[], columns: readonly string[]) => header.flatMap((column, index) => (columns.includes(column) ? [] : [index + 1]));
