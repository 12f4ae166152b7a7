// What no line the app or the worker prints may hold, whatever the flows did: an email address,
// a link token (72 base64url characters, or what follows /o/ or /s/ in a path) or a bearer token.
const LEAKS = [
  { kind: "an email address", pattern: /[^\s<>()"',;:=]+@[^\s<>()"',;:]+\.[A-Za-z]{2,}/ },
  { kind: "a link token", pattern: /\/[os]\/[A-Za-z0-9_-]{20,}|(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{72}(?![A-Za-z0-9_-])/ },
  { kind: "a bearer token", pattern: /Bearer\s+(?!\[token\])\S{8,}/i },
];

/** The lines that leak, each with what it leaks (the line itself cut short). */
export const logLeaks = (lines: string[]) =>
  lines.flatMap((line) => LEAKS.filter(({ pattern }) => pattern.test(line)).map(({ kind }) => `${kind}: ${line.slice(0, 200)}`));
