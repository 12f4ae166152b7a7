import "server-only";

import { Transform } from "node:stream";

import { importFileError, ROW_FIELD, type TBadRow } from "@/lib/members/import-members-csv-types";

// A longer line is not a member row: most likely a file with no LF line endings, which would
// otherwise be buffered whole.
const MAX_LINE_BYTES = 1024 * 1024;

const UNCLOSED_QUOTE = "a quoted value is not closed on this line";
const TEXT_AFTER_QUOTE = "a quoted value is followed by something other than a comma";
const STRAY_QUOTE = 'a quote inside an unquoted value (quote the whole value and double the quote: "a""b")';

const isBlank = (character: string) => /\s/.test(character);

/**
 * Why a line that holds a quote is not valid CSV on its own, or undefined if it is. Follows csv-parse's
 * rules with `trim`. No member field may hold a line break, so a quote must close on its own line.
 */
const quoteProblem = (line: string) => {
  let pos = 0;
  while (pos <= line.length) {
    while (pos < line.length && isBlank(line[pos]!)) pos++;
    if (line[pos] === '"') {
      pos++;
      for (;;) {
        const close = line.indexOf('"', pos);
        if (close < 0) return UNCLOSED_QUOTE;
        pos = close + 1;
        if (line[pos] !== '"') break;
        pos++;
      }
      while (pos < line.length && isBlank(line[pos]!)) pos++;
      if (pos < line.length && line[pos] !== ",") return TEXT_AFTER_QUOTE;
    } else {
      const comma = line.indexOf(",", pos);
      const end = comma < 0 ? line.length : comma;
      const quote = line.indexOf('"', pos);
      if (quote >= 0 && quote < end) return STRAY_QUOTE;
      pos = end;
    }
    pos++;
  }
  return undefined;
};

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x22;

const countLines = (data: Buffer) => {
  let lines = 0;
  for (let at = data.indexOf(NEWLINE); at >= 0; at = data.indexOf(NEWLINE, at + 1)) lines++;
  return lines;
};

/**
 * Sits before csv-parse and blanks (keeping its line break, so line numbers hold) every line whose quotes
 * are broken, reporting it. csv-parse cannot recover from these: after an unclosed quote, or a closing quote
 * followed by text, it stays inside the quoted value and swallows the following lines, up to the end of the
 * file. Lines without a quote, nearly all of them, pass through unexamined.
 */
export const createQuoteGuard = (report: (badRow: TBadRow) => void) => {
  let carry: Buffer = Buffer.alloc(0);
  let linesDone = 0;

  const guardLines = (data: Buffer) => {
    if (data.indexOf(QUOTE) < 0) {
      linesDone += countLines(data);
      return data;
    }
    const kept: Buffer[] = [];
    for (let start = 0; start < data.length; ) {
      const newline = data.indexOf(NEWLINE, start);
      const end = newline < 0 ? data.length : newline + 1;
      const line = data.subarray(start, end);
      linesDone++;
      const problem = line.indexOf(QUOTE) < 0 ? undefined : quoteProblem(line.toString("utf8").replace(/\r?\n$/, ""));
      if (!problem) kept.push(line);
      else if (linesDone === 1) throw importFileError(`The header row (line 1) is not valid CSV: ${problem}.`);
      else {
        report({ line: linesDone, field: ROW_FIELD, reason: problem });
        const lineBreak = newline < 0 ? 0 : line.at(-2) === CARRIAGE_RETURN ? 2 : 1;
        kept.push(line.subarray(line.length - lineBreak));
      }
      start = end;
    }
    return Buffer.concat(kept);
  };

  const guard: Transform = new Transform({
    transform: (chunk: Buffer, _encoding, callback) => {
      try {
        const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const lastNewline = data.lastIndexOf(NEWLINE);
        carry = data.subarray(lastNewline + 1);
        if (carry.length > MAX_LINE_BYTES) throw importFileError(`Line ${linesDone + 1} is longer than 1 MB: is this a CSV file with LF or CRLF line endings?`);
        if (lastNewline >= 0) guard.push(guardLines(data.subarray(0, lastNewline + 1)));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush: (callback) => {
      try {
        if (carry.length) guard.push(guardLines(carry));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  return guard;
};
