import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";

import { canonicalContent, chainHash } from "@/lib/audit/audit-chain-hash";

// The hash definition (docs/operations.md, "Tamper-evident audit log") must never change: every
// chained row's hash depends on it. These pin it to the text canonicalize() writes for the row's
// content as an object, and to a hash computed by the first implementation (2026-12-07).

const row = () => ({
  id: "42",
  objectionId: "0b5e3c1e-7f1a-4a7e-9c1d-2f0e6a5b4c3d",
  type: "created",
  actorType: "member",
  actorId: null,
  detail: { source: "form", é: [1, 2.5, 1e21, "\u2028", true, null, { b: 1, a: 2 }], "\u{1F600}": "x", Z: {} },
  createdAt: new Date("2026-12-07T13:30:00.123Z"),
  chainSeq: "7",
  prevHash: Buffer.alloc(32, 1),
  hash: Buffer.alloc(32, 2),
  big: 9007199254740993n,
});

/** The definition as first written: the content as an object (chain columns and NULLs left out, times as ISO strings, bigints as strings), through canonicalize. */
const contentAsObject = (source: Record<string, unknown>) =>
  canonicalize(
    Object.fromEntries(
      Object.entries(source)
        .filter(([column, value]) => !["chainSeq", "prevHash", "hash"].includes(column) && value !== null && value !== undefined)
        .map(([column, value]) => [column, value instanceof Date ? value.toISOString() : typeof value === "bigint" ? value.toString() : value]),
    ),
  );

describe("canonicalContent", () => {
  it("writes the same text as canonicalize() of the row's content as an object", () => {
    const rows: Record<string, unknown>[] = [
      row(),
      {},
      { chainSeq: "1", prevHash: Buffer.alloc(32), hash: Buffer.alloc(32) },
      { b: "2", a: "1", "10": "ten", "9": "nine", A: 'quote " and \\ and \n', "": "empty key", ä: "ä", "\u{10000}": "astral", Ω: "omega" },
      { detail: [], other: { nested: { deeper: [{ z: 1, y: [null, false] }] } }, count: 0, negative: -0, ratio: 0.1, flag: false },
      { actorJob: undefined, targetId: null, action: "admin_login" },
    ];
    for (const source of rows) expect(canonicalContent(source)).toBe(contentAsObject(source));
  });

  it("leaves out the chain columns and NULLs, and writes times and bigints as strings", () => {
    expect(canonicalContent(row())).toBe(
      '{"actorType":"member","big":"9007199254740993","createdAt":"2026-12-07T13:30:00.123Z","detail":{"Z":{},"source":"form","é":[1,2.5,1e+21,"\u2028",true,null,{"a":2,"b":1}],"😀":"x"},"id":"42","objectionId":"0b5e3c1e-7f1a-4a7e-9c1d-2f0e6a5b4c3d","type":"created"}',
    );
  });

  it("hashes as the first implementation did: sha256(prevHash || content)", () => {
    expect(chainHash(Buffer.alloc(32, 3), row()).toString("hex")).toBe("6e3ab0b8b240caa8e7ab08627193d26e5218db59e8a024e2973cfd43d2848446");
  });
});
