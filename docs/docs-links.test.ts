import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { brokenLinks, markdownAnchors, markdownHrefs, missingPaths, missingTests, namedTests } from "@/scripts/lib/markdown-links";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DOCS = ["README.md", ...readdirSync(path.join(ROOT, "docs"))
  .filter((name) => name.endsWith(".md"))
  .map((name) => `docs/${name}`)];
const guarantees = () => readFileSync(path.join(ROOT, "docs/guarantees.md"), "utf8");

describe("links between README.md and docs/", () => {
  it("every relative link leads to a file that exists, and every #anchor to a heading of the file it names", () => {
    expect(DOCS).toContain("docs/guarantees.md");
    expect(brokenLinks({ root: ROOT, files: DOCS })).toEqual([]);
  });

  it("the README links to every file in docs/", () => {
    const linked = new Set(markdownHrefs(readFileSync(path.join(ROOT, "README.md"), "utf8")).map((href) => href.split("#")[0]));
    expect(DOCS.filter((file) => file !== "README.md" && !linked.has(file))).toEqual([]);
  });
});

describe("docs/guarantees.md", () => {
  it("names tests that exist, in the files it names", () => {
    expect(namedTests(guarantees()).length).toBeGreaterThan(20);
    expect(missingTests({ root: ROOT, markdown: guarantees() })).toEqual([]);
  });

  it("names source files that exist", () => {
    expect(missingPaths({ root: ROOT, markdown: guarantees() })).toEqual([]);
  });
});

// The checker itself, on small documents, so that a link it lets pass is known to be good.
describe("the link checker", () => {
  it("slugs headings as GitHub does: lower case, punctuation dropped but - and _, spaces to -, repeats numbered", () => {
    const anchors = markdownAnchors(
      ["# Operations", "## The visitor's address (`TRUSTED_PROXIES`)", "## 1. What a run is", "## Measured", "## Measured", "### CSV (`format: \"csv\"`)"].join("\n\n"),
    );
    expect([...anchors]).toEqual(["operations", "the-visitors-address-trusted_proxies", "1-what-a-run-is", "measured", "measured-1", "csv-format-csv"]);
  });

  it("reads links, images and raw HTML, and not what a code block or a code span shows", () => {
    const markdown = ["[a](docs/a.md#x) ![b](b.png) <img src=\"c.png\" width=\"1\">", "`[d](d.md)`", "```md\n[e](e.md)\n```"].join("\n\n");
    expect(markdownHrefs(markdown)).toEqual(["docs/a.md#x", "b.png", "c.png"]);
  });

  it("finds a missing file, a missing anchor, and lets external links and good ones pass", () => {
    const broken = brokenLinks({ root: path.join(ROOT, "test/fixtures/markdown-links"), files: ["index.md"] });
    expect(broken.map(({ href }) => href)).toEqual(["missing.md", "other.md#nowhere", "#nor-here"]);
  });

  it("reads the tests a document names, over line breaks", () => {
    expect(namedTests('`lib/a.test.ts`: "one\n  two", and "three"; `faults/b.test.ts`: "four"')).toEqual([
      { file: "lib/a.test.ts", name: "one two" },
      { file: "lib/a.test.ts", name: "three" },
      { file: "faults/b.test.ts", name: "four" },
    ]);
  });

  it("matches a test whose name interpolates a value, and misses one that is not there", () => {
    const markdown = '`faults/http-fuzz.test.ts`: "answers 10,000 generated requests at every route with no 5xx, and stores nothing for a refused one", "never written"';
    expect(missingTests({ root: ROOT, markdown })).toEqual([{ file: "faults/http-fuzz.test.ts", name: "never written" }]);
  });
});
