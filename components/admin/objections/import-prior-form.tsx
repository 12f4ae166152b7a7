"use client";

import { Upload } from "lucide-react";
import { useId, useState } from "react";

import { Alert } from "@/components/ui/alert";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import type { TAppErrorBody } from "@/lib/errors/app-error-response";
import type { TPriorImportOutcome, TPriorImportResult } from "@/lib/objections/import-prior-objections-types";

const SHOWN_LINES = 1_000;

const OUTCOMES: Record<TPriorImportOutcome, { label: string; tone: TBadgeTone }> = {
  matched_external_id: { label: "Imported, matched by external id", tone: "success" },
  matched_email: { label: "Imported, matched by email", tone: "success" },
  unmatched: { label: "Imported, unmatched", tone: "info" },
  skipped_live: { label: "Skipped: already has a live objection", tone: "neutral" },
  error: { label: "Error", tone: "danger" },
};

/** Uploads the CSV to the import route and shows its report, row by row. */
export const ImportPriorForm = ({ maxBytes }: { maxBytes: number }) => {
  const id = useId();
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<TPriorImportResult | null>(null);

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get("file");
    setProblem(null);
    setResult(null);
    if (!(file instanceof File) || file.size === 0) return setProblem("Choose a CSV file to upload.");
    if (file.size > maxBytes) return setProblem(`The file is larger than ${maxBytes / 1024 / 1024} MB: split it and upload the parts one by one.`);
    setPending(true);
    try {
      const response = await fetch("/admin/objections/import/upload", { method: "POST", body: data });
      const body = (await response.json().catch(() => null)) as (TPriorImportResult & Partial<TAppErrorBody>) | null;
      if (!response.ok || !body) setProblem(body?.error?.message ?? `The import failed (${response.status}). Nothing after the last reported row was imported.`);
      else setResult(body);
    } catch {
      setProblem("The upload did not reach the server. Check the connection and try again.");
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="space-y-6">
      <Card>
        <form onSubmit={submit} aria-label="Upload earlier objections" className="space-y-4">
          <div>
            <Label htmlFor={`${id}-file`}>CSV file (at most {maxBytes / 1024 / 1024} MB)</Label>
            <Input id={`${id}-file`} name="file" type="file" accept=".csv,text/csv" required aria-describedby={`${id}-help`} className="py-2 h-auto" />
            <p id={`${id}-help`} className="mt-1 text-sm text-slate-600">
              Columns: <code>external_id</code> and/or <code>email</code>, <code>objected_at</code> (ISO date or datetime), <code>country</code> (needed when no member
              matches), <code>reason</code> (optional).
            </p>
          </div>
          <Button type="submit" disabled={pending}>
            <Upload className="h-4 w-4" aria-hidden />
            {pending ? "Importing…" : "Import"}
          </Button>
        </form>
      </Card>
      {problem ? (
        <Alert tone="danger" title="Not imported" role="alert">
          {problem}
        </Alert>
      ) : null}
      {result ? (
        <section aria-labelledby={`${id}-result`} className="space-y-3">
          <h2 id={`${id}-result`} className="text-lg font-semibold text-slate-900">
            Result
          </h2>
          <Alert tone={result.counts.error ? "warning" : "success"} role="status" title={`${result.counts.imported} of ${result.counts.rows} rows imported`}>
            {result.counts.matched_external_id} matched by external id, {result.counts.matched_email} by email, {result.counts.unmatched} unmatched,{" "}
            {result.counts.skipped_live} skipped, {result.counts.error} with errors.
          </Alert>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Import result per line">
            <table className="w-full min-w-[36rem] text-left text-sm wrap-normal">
              <caption className="sr-only">Import result per line</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide text-slate-700 uppercase">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Line
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Outcome
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Details
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.lines.slice(0, SHOWN_LINES).map((line) => (
                  <tr key={line.line}>
                    <td className="px-3 py-2 tabular-nums">{line.line}</td>
                    <td className="px-3 py-2">
                      <Badge tone={OUTCOMES[line.outcome].tone}>{OUTCOMES[line.outcome].label}</Badge>
                    </td>
                    <td className="px-3 py-2">
                      {line.objectionId ? (
                        <a href={`/admin/objections/${line.objectionId}`} className="text-blue-800 underline">
                          {line.message}
                        </a>
                      ) : (
                        line.message
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {result.lines.length > SHOWN_LINES ? <p className="text-sm text-slate-600">Showing the first {SHOWN_LINES} of {result.lines.length} lines.</p> : null}
        </section>
      ) : null}
    </div>
  );
};
