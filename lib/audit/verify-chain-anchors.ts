import type { KeyObject } from "node:crypto";

import type pg from "pg";

import { CHAIN_TABLES } from "@/lib/audit/audit-chain-hash";
import { ANCHORING_RUNS_SQL, chainRowAtSql, NIL_UUID } from "@/lib/audit/audit-chain-sql";
import type { TChainProblem } from "@/lib/audit/verify-audit-chain";
import { manifestSignatureProblem, type TAuditChainHeads, ZExportManifest } from "@/lib/exports/export-manifest";

const RUNS_PAGE = 100;

type TAnchor = { runId: string; heads: TAuditChainHeads };

/** Whether each recorded head is still in its chain: the row at that seq, with that hash. */
const anchorProblems = async ({ pool, runId, heads }: TAnchor & { pool: pg.Pool }) => {
  const problems: TChainProblem[] = [];
  for (const table of CHAIN_TABLES) {
    const { seq, hash } = heads[table];
    if (seq === 0) continue;
    const row = (await pool.query<{ id: string; hash: Buffer }>(chainRowAtSql(table), [String(seq)])).rows[0];
    if (!row) problems.push({ table, id: null, seq: String(seq), message: `export run ${runId} recorded ${table} chainSeq ${seq}, which the chain no longer holds` });
    else if (row.hash.toString("hex") !== hash) problems.push({ table, id: row.id, seq: String(seq), message: `${table} id ${row.id} (chainSeq ${seq}): its hash is not the one export run ${runId} recorded: the chain was rewritten after that export` });
  }
  return problems;
};

/**
 * The chain heads recorded in every succeeded export run's manifest, as the database keeps it
 * (keyset pages by run id: one a night, never the whole table at once), each checked against the
 * chain. With `publicKey`, each manifest's signature is checked as well, so heads edited in the
 * database are caught; against the pipeline's own copies, pass them to verifyManifestAnchor.
 */
export const verifyChainAnchors = async ({ pool, publicKey }: { pool: pg.Pool; publicKey?: KeyObject }) => {
  const problems: TChainProblem[] = [];
  let checked = 0;
  for (let after = NIL_UUID; ; ) {
    const { rows } = await pool.query<{ id: string; manifest: unknown }>(ANCHORING_RUNS_SQL, [after, RUNS_PAGE]);
    for (const run of rows) {
      const parsed = ZExportManifest.safeParse(run.manifest);
      if (!parsed.success || !parsed.data.auditChainHeads) {
        problems.push({ table: "ExportRun", id: run.id, seq: null, message: `export run ${run.id}: its stored manifest is not a valid manifest` });
        continue;
      }
      const signature = publicKey ? manifestSignatureProblem({ manifest: parsed.data, publicKey }) : null;
      if (signature) problems.push({ table: "ExportRun", id: run.id, seq: null, message: `export run ${run.id}: ${signature}` });
      problems.push(...(await anchorProblems({ pool, runId: run.id, heads: parsed.data.auditChainHeads })));
      checked++;
    }
    if (rows.length < RUNS_PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  return { checked, problems };
};

/** One manifest from outside the database (the pipeline's copy): its heads against the chain. */
export const verifyManifestAnchor = async ({ pool, manifest, publicKey }: { pool: pg.Pool; manifest: unknown; publicKey?: KeyObject }) => {
  const parsed = ZExportManifest.safeParse(manifest);
  if (!parsed.success) return [{ table: "ExportRun", id: null, seq: null, message: "the manifest given is not a valid manifest" } satisfies TChainProblem];
  if (!parsed.data.auditChainHeads) return [{ table: "ExportRun", id: parsed.data.runId, seq: null, message: `export run ${parsed.data.runId}: its manifest records no chain heads (made before the chain existed)` } satisfies TChainProblem];
  const signature = publicKey ? manifestSignatureProblem({ manifest: parsed.data, publicKey }) : null;
  const problems: TChainProblem[] = signature ? [{ table: "ExportRun", id: parsed.data.runId, seq: null, message: `export run ${parsed.data.runId}: ${signature}` }] : [];
  return [...problems, ...(await anchorProblems({ pool, runId: parsed.data.runId, heads: parsed.data.auditChainHeads }))];
};
