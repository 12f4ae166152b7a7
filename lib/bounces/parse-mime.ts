import "server-only";

// Just enough MIME to read a bounce: headers, multipart bodies and the two transfer encodings.
// mailparser does far more (charsets, HTML, attachments) and costs about 3 ms a message, which
// alone would hold one process under 500 reports a second; reports are small, plain and
// machine-written, and this reads one in a few microseconds.

export type TMimePart = {
  /** Lower-case header names; a repeated header keeps its first value. Folded lines are joined. */
  headers: Map<string, string>;
  contentType: string;
  params: Map<string, string>;
  /** The decoded body of a leaf part; empty for a multipart. */
  body: string;
  parts: TMimePart[];
};

// A bounce nests its report at most a level or two deep; anything deeper is not one we read.
const MAX_DEPTH = 4;
const MAX_PARTS = 50;

/** Header lines, unfolded, until the first empty line; the rest is the body. */
const splitHeaders = (text: string) => {
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const body = end ? text.slice(end.index + end[0].length) : "";
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
};

/** `type/subtype; a=b; c="d"` → the type, lower case, and its parameters (names lower case). */
export const parseHeaderValue = (value: string) => {
  const [type = "", ...rest] = value.split(";");
  const params = new Map<string, string>();
  // Re-joined so a quoted value may hold a semicolon.
  for (const match of rest.join(";").matchAll(/([\w.*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g)) {
    params.set(match[1]!.toLowerCase(), (match[2] ?? match[3] ?? "").replace(/\\(.)/g, "$1"));
  }
  return { value: type.trim().toLowerCase(), params };
};

const decodeBody = (body: string, encoding: string | undefined) => {
  switch (encoding?.trim().toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return Buffer.from(
        body.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1",
      ).toString("utf8");
    default:
      return body;
  }
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const parsePart = (text: string, depth: number, budget: { parts: number }): TMimePart => {
  const { headers, body } = splitHeaders(text);
  const { value: contentType, params } = parseHeaderValue(headers.get("content-type") ?? "text/plain");
  const boundary = params.get("boundary");
  if (!contentType.startsWith("multipart/") || !boundary || depth >= MAX_DEPTH) {
    return { headers, contentType, params, body: decodeBody(body, headers.get("content-transfer-encoding")), parts: [] };
  }
  // Each part starts after a `--boundary` line and ends before the next; the preamble before the
  // first and the epilogue after `--boundary--` are not parts.
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?:\\r?\\n|$)`, "g");
  const parts: TMimePart[] = [];
  let start = -1;
  for (const match of body.matchAll(delimiter)) {
    if (start >= 0 && budget.parts-- > 0) parts.push(parsePart(body.slice(start, match.index), depth + 1, budget));
    if (match[1]) break;
    start = match.index + match[0].length;
  }
  return { headers, contentType, params, body: "", parts };
};

/** The message's tree of parts; never throws on malformed input, it just finds fewer parts. */
export const parseMime = (raw: string): TMimePart => parsePart(raw, 0, { parts: MAX_PARTS });

/** Every part of the tree, depth first, the root included. */
export const allParts = (root: TMimePart): TMimePart[] => [root, ...root.parts.flatMap(allParts)];
