import { createHash, type KeyObject } from "node:crypto";
import type { Readable } from "node:stream";

import yauzl from "yauzl";

import { EVIDENCE_FILES, EVIDENCE_MANIFEST, type TEvidenceManifest, ZEvidenceManifest } from "@/lib/evidence/evidence-manifest";
import { canonicalSignatureProblem } from "@/lib/exports/canonical-signature";
import { signingKeyId } from "@/lib/exports/signing-key";

// Checks a campaign's evidence pack (docs/evidence.md) as anyone holding it and the export public
// key can: every file's bytes and sha256 against the signed manifest, nothing missing or extra, and
// the signature. Streams each entry (a 30 M-notice notices.csv is several GB). No server-only:
// scripts/evidence-verify.ts and the tests call it.

export type TEvidenceVerifyResult = { ok: boolean; problems: string[]; checks: string[]; manifest: TEvidenceManifest | null };

/** manifest.json is a few hundred bytes a file; more than this is not one of ours. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

type TEntryDigest = { name: string; bytes: number; sha256: string; text: string | null };

const openZip = (zipPath: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(zipPath, { lazyEntries: true, autoClose: true }, (error, zip) => (error ? reject(error) : resolve(zip))));

const openEntry = (zip: yauzl.ZipFile, entry: yauzl.Entry) =>
  new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));

/** Hashes one entry as it streams; keeps the text of the manifest only. */
const digestEntry = async (zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<TEntryDigest> => {
  const keep = entry.fileName === EVIDENCE_MANIFEST;
  if (keep && entry.uncompressedSize > MAX_MANIFEST_BYTES) throw new Error(`${EVIDENCE_MANIFEST} is ${entry.uncompressedSize} bytes, more than a manifest holds`);
  const sha256 = createHash("sha256");
  const kept: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of await openEntry(zip, entry)) {
    const buffer = chunk as Buffer;
    sha256.update(buffer);
    bytes += buffer.length;
    if (keep) kept.push(buffer);
  }
  return { name: entry.fileName, bytes, sha256: sha256.digest("hex"), text: keep ? Buffer.concat(kept).toString("utf8") : null };
};

/** Every entry of the ZIP in order, hashed; a problem for an entry that cannot be read. */
const digestZip = async (zipPath: string, problems: string[]) => {
  const zip = await openZip(zipPath);
  const digests: TEntryDigest[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      digestEntry(zip, entry)
        .then((digest) => digests.push(digest))
        .catch((error: unknown) => problems.push(`${entry.fileName} cannot be read from the ZIP: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => zip.readEntry());
    });
    zip.on("end", () => resolve());
    zip.on("error", reject);
    zip.readEntry();
  });
  return digests;
};

const parseManifest = (text: string | null): TEvidenceManifest | string => {
  if (text === null) return `${EVIDENCE_MANIFEST} is missing`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `${EVIDENCE_MANIFEST} is not JSON`;
  }
  const parsed = ZEvidenceManifest.safeParse(json);
  if (!parsed.success) return `${EVIDENCE_MANIFEST} is not an evidence pack's manifest: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`;
  return parsed.data;
};

/** Files and entries against each other: each listed once, each present, none extra, each as hashed. */
const checkFiles = ({ manifest, digests, problems, checks }: { manifest: TEvidenceManifest; digests: TEntryDigest[]; problems: string[]; checks: string[] }) => {
  const listed = new Set(manifest.files.map((file) => file.name));
  if (listed.size !== manifest.files.length) problems.push(`${EVIDENCE_MANIFEST} lists a file twice`);
  for (const name of EVIDENCE_FILES) if (!listed.has(name)) problems.push(`${EVIDENCE_MANIFEST} does not list ${name}`);
  const seen = new Map<string, number>();
  for (const digest of digests) seen.set(digest.name, (seen.get(digest.name) ?? 0) + 1);
  for (const [name, count] of seen) {
    if (count > 1) problems.push(`the ZIP holds ${name} ${count} times`);
    if (name !== EVIDENCE_MANIFEST && !listed.has(name as never)) problems.push(`the ZIP holds ${name}, which the manifest does not list: an extra file`);
  }
  for (const file of manifest.files) {
    const digest = digests.find((entry) => entry.name === file.name);
    if (!digest) {
      problems.push(`${file.name} is missing from the ZIP`);
      continue;
    }
    const before = problems.length;
    if (digest.bytes !== file.bytes) problems.push(`${file.name} has ${digest.bytes} bytes, the manifest says ${file.bytes}`);
    if (digest.sha256 !== file.sha256) problems.push(`${file.name} has sha256 ${digest.sha256}, the manifest says ${file.sha256}: the file was altered or swapped`);
    if (problems.length === before) checks.push(`${file.name}: ${file.bytes} bytes, sha256 matches`);
  }
};

/** Everything a regulator, an auditor or the privacy team should check before relying on a pack. */
export const verifyEvidencePack = async ({ zipPath, publicKey }: { zipPath: string; publicKey: KeyObject }): Promise<TEvidenceVerifyResult> => {
  const problems: string[] = [];
  const checks: string[] = [];
  let digests: TEntryDigest[];
  try {
    digests = await digestZip(zipPath, problems);
  } catch (error) {
    return { ok: false, problems: [`${zipPath} is not a readable ZIP: ${error instanceof Error ? error.message : String(error)}`], checks, manifest: null };
  }
  const manifest = parseManifest(digests.find((digest) => digest.name === EVIDENCE_MANIFEST)?.text ?? null);
  if (typeof manifest === "string") return { ok: false, problems: [...problems, manifest], checks, manifest: null };
  const signatureProblem = canonicalSignatureProblem({ document: manifest, publicKey, name: EVIDENCE_MANIFEST });
  if (signatureProblem) problems.push(signatureProblem);
  else checks.push(`signature: Ed25519, key ${signingKeyId(publicKey)}, campaign ${manifest.campaignId}, made ${manifest.createdAt}`);
  if (digests.at(-1)?.name !== EVIDENCE_MANIFEST) problems.push(`${EVIDENCE_MANIFEST} is not the ZIP's last entry: something was added after the pack was made`);
  checkFiles({ manifest, digests, problems, checks });
  return { ok: problems.length === 0, problems, checks, manifest };
};
