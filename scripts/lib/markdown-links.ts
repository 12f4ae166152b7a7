// The links and anchors of the project's Markdown (README.md, docs/*.md), for the test that keeps
// them whole (docs/docs-links.test.ts). marked tokenises the Markdown, so a link in a code block
// or a code span is not taken for one; github-slugger names headings as GitHub does.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import GithubSlugger from "github-slugger";
import { Marked, type Token, type Tokens } from "marked";

export type TMarkdownLink = { file: string; href: string };
export type TBrokenLink = TMarkdownLink & { problem: string };

const marked = new Marked();

// Attributes of raw HTML (the README's screenshots are <img> tags) that point somewhere or name an anchor.
const HTML_TARGET = /\s(?:src|href)\s*=\s*"([^"]*)"/gi;
const HTML_ANCHOR = /\s(?:id|name)\s*=\s*"([^"]*)"/gi;

/** A heading's text as GitHub slugs it: what it shows, without the Markdown around it. */
const plainText = (tokens: readonly Token[]): string =>
  tokens
    .map((token) => {
      if ("tokens" in token && token.tokens) return plainText(token.tokens);
      if (token.type === "html") return "";
      return "text" in token ? token.text : "";
    })
    .join("");

const walk = (markdown: string, visit: (token: Token) => void) => marked.walkTokens(marked.lexer(markdown), visit);

/** Every anchor a link may name in this Markdown: its headings' slugs (a repeated one gets -1, -2, …) and HTML ids. */
export const markdownAnchors = (markdown: string): Set<string> => {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  walk(markdown, (token) => {
    if (token.type === "heading") anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
    if (token.type === "html") for (const [, id = ""] of token.raw.matchAll(HTML_ANCHOR)) anchors.add(id);
  });
  return anchors;
};

/** Every link target in this Markdown: links, images and the src or href of raw HTML. */
export const markdownHrefs = (markdown: string): string[] => {
  const hrefs: string[] = [];
  walk(markdown, (token) => {
    if (token.type === "link" || token.type === "image") hrefs.push((token as Tokens.Link).href);
    if (token.type === "html") for (const [, href = ""] of token.raw.matchAll(HTML_TARGET)) hrefs.push(href);
  });
  return hrefs;
};

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The links in `files` (paths relative to `root`) that lead nowhere: a relative path to no file, or
 * an `#anchor` that no heading of the Markdown file it points into makes. Links to other sites are
 * not followed (no network); an anchor into a file that is not Markdown (a line of code) is not checked.
 */
export const brokenLinks = ({ root, files }: { root: string; files: readonly string[] }): TBrokenLink[] => {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorsOf.has(file)) anchorsOf.set(file, markdownAnchors(readFileSync(path.join(root, file), "utf8")));
    return anchorsOf.get(file)!;
  };
  const broken: TBrokenLink[] = [];
  for (const file of files) {
    for (const href of markdownHrefs(readFileSync(path.join(root, file), "utf8"))) {
      if (EXTERNAL.test(href)) continue;
      const [target = "", anchor] = href.split("#", 2);
      const decoded = decodeURIComponent(target);
      // GitHub resolves a path from the file's folder, and one starting with "/" from the repository's root.
      const into = decoded === "" ? file : path.normalize(decoded.startsWith("/") ? decoded.slice(1) : path.join(path.dirname(file), decoded));
      if (into.startsWith("..") || !existsSync(path.join(root, into))) {
        broken.push({ file, href, problem: `${into} does not exist` });
        continue;
      }
      if (anchor === undefined || !into.endsWith(".md")) continue;
      if (!anchors(into).has(decodeURIComponent(anchor)))
        broken.push({ file, href, problem: `no heading of ${into} makes the anchor #${anchor}` });
    }
  }
  return broken;
};

/** The tests a document names as `path/to/file.test.ts`: "name", "another name" (line breaks count as spaces). */
export const namedTests = (markdown: string): { file: string; name: string }[] =>
  [...markdown.replace(/\s+/g, " ").matchAll(/`([^`\s]+\.(?:test|spec)\.tsx?)`: ("[^"]+"(?:,(?: and)? "[^"]+")*)/g)].flatMap(([, file = "", names = ""]) =>
    [...names.matchAll(/"([^"]+)"/g)].map(([, name = ""]) => ({ file, name })),
  );

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The names of a test file's `describe`, `it` and `test` calls, as patterns: an interpolation or a `%s` matches any text. */
const testNamePatterns = (source: string): RegExp[] =>
  [...source.matchAll(/\b(?:describe|it|test)(?:\.(?:only|skip|concurrent))?\(\s*(["'`])(.+?)\1\s*,/g)].map(
    ([, , name = ""]) => new RegExp(`^${escapeRegExp(name).replace(/\\\$\\\{.*?\\\}|%[sdif]/g, ".+?")}$`),
  );

/** The tests a document names that its file does not hold (or the file itself is missing). */
export const missingTests = ({ root, markdown }: { root: string; markdown: string }): { file: string; name: string }[] =>
  namedTests(markdown).filter(({ file, name }) => {
    const source = path.join(root, file);
    return !existsSync(source) || !testNamePatterns(readFileSync(source, "utf8")).some((pattern) => pattern.test(name));
  });

/** Paths in code spans that name a file of the repository (`lib/…`, `faults/…`, a `*` for any name) where none is. */
export const missingPaths = ({ root, markdown }: { root: string; markdown: string }): string[] =>
  [...markdown.matchAll(/`((?:app|components|e2e|faults|lib|scripts|test)\/[^`\s<>]+\.[a-z]+)`/g)]
    .map(([, file = ""]) => file)
    .filter((file) => {
      if (!file.includes("*")) return !existsSync(path.join(root, file));
      const folder = path.join(root, path.dirname(file));
      const pattern = new RegExp(`^${escapeRegExp(path.basename(file)).replace(/\\\*/g, "[^/]*")}$`);
      return !existsSync(folder) || !readdirSync(folder).some((name) => pattern.test(name));
    });
