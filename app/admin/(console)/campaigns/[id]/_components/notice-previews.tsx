"use client";

import { Send } from "lucide-react";
import { useState, useTransition } from "react";

import { sendCampaignTestEmailAction } from "@/app/admin/(console)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import type { TActionResult } from "@/lib/auth/admin-action";
import type { TNoticePreview } from "@/lib/campaigns/campaign-previews";

const languageName = (locale: string) => new Intl.DisplayNames(["en"], { type: "language" }).of(locale) ?? locale;

/**
 * The email exactly as the campaign sends it (HTML in a sandboxed frame: no scripts, no
 * navigation; and its text part) and the in-app notice, one language at a time.
 */
export const NoticePreviews = ({ campaignId, previews, canSendTest }: { campaignId: string; previews: TNoticePreview[]; canSendTest: boolean }) => {
  const [locale, setLocale] = useState(previews.some((candidate) => candidate.locale === "en") ? "en" : (previews[0]?.locale ?? "en"));
  const [result, setResult] = useState<TActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const preview = previews.find((candidate) => candidate.locale === locale) ?? previews[0];
  if (!preview) return null;
  const name = languageName(preview.locale);

  return (
    <div className="space-y-4">
      <div role="group" aria-label="Preview language" className="flex flex-wrap gap-2">
        {previews.map((candidate) => (
          <Button key={candidate.locale} variant={candidate.locale === locale ? "primary" : "secondary"} size="sm" aria-pressed={candidate.locale === locale} onClick={() => setLocale(candidate.locale)}>
            {languageName(candidate.locale)}
          </Button>
        ))}
      </div>

      <div className="grid gap-4 xl:grid-cols-2">
        <Card>
          <CardTitle>Email ({name})</CardTitle>
          <CardDescription>
            Subject: <span className="font-medium text-slate-900">{preview.subject}</span>
          </CardDescription>
          <iframe title={`Email preview in ${name}`} srcDoc={preview.html} sandbox="" className="mt-3 h-[32rem] w-full rounded-md border border-slate-200 bg-white" />
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium text-slate-800">Text version</summary>
            <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-50 p-3 text-xs whitespace-pre-wrap text-slate-800">{preview.text}</pre>
          </details>
        </Card>
        <Card>
          <CardTitle>In-app notice ({name})</CardTitle>
          <CardDescription>What the platform shows in its app, from GET /api/v1/members/&#123;externalId&#125;/notifications.</CardDescription>
          <div lang={preview.locale} className="mt-3 rounded-lg border border-blue-200 bg-blue-50 p-4">
            <p className="font-semibold text-slate-900">{preview.inApp.title}</p>
            <p className="mt-1 text-sm text-slate-800">{preview.inApp.body}</p>
            <span className="mt-3 inline-flex h-9 items-center rounded-md bg-blue-700 px-3 text-sm font-medium text-white">{preview.inApp.action}</span>
          </div>
          {canSendTest ? (
            <div className="mt-6 space-y-2 border-t border-slate-200 pt-4">
              <p className="text-sm text-slate-700">Send this email in {name} to your own address, with a placeholder link.</p>
              <Button variant="secondary" disabled={pending} onClick={() => startTransition(async () => setResult(await sendCampaignTestEmailAction({ campaignId, locale: preview.locale })))}>
                <Send className="h-4 w-4" aria-hidden />
                {pending ? "Sending…" : "Send me a test email"}
              </Button>
              <div aria-live="polite">{result ? <Alert tone={result.ok ? "success" : "danger"}>{result.message}</Alert> : null}</div>
            </div>
          ) : null}
        </Card>
      </div>
    </div>
  );
};
