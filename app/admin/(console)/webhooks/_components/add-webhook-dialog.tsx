"use client";

import { Plus } from "lucide-react";
import Link from "next/link";
import { useState, useTransition } from "react";

import { addWebhookEndpointAction } from "@/app/admin/(console)/webhooks/actions";
import { ShownOnceSecret } from "@/app/admin/(console)/webhooks/_components/shown-once-secret";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label } from "@/components/ui/input";
import type { TActionResult } from "@/lib/auth/admin-action";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/webhook-event-types";

const EVENT_HELP: Record<(typeof WEBHOOK_EVENT_TYPES)[number], string> = {
  "objection.effective": "An objection takes effect: leave this member's data out of training.",
  "objection.withdrawn": "A member withdraws an objection.",
};

type TAdded = TActionResult<{ id: string; secret: string }>;

export const AddWebhookDialog = () => {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<TAdded | null>(null);
  const [pending, startTransition] = useTransition();
  const failed = result && !result.ok ? result : null;
  const added = result?.ok ? result.data : undefined;

  const submit = (form: FormData) =>
    startTransition(async () => setResult(await addWebhookEndpointAction({ url: String(form.get("url") ?? "").trim(), events: form.getAll("events") })));
  const openChange = (next: boolean) => {
    setOpen(next);
    if (!next) setResult(null);
  };

  return (
    <Dialog open={open} onOpenChange={openChange}>
      <DialogTrigger asChild>
        <Button>
          <Plus className="h-4 w-4" aria-hidden />
          Add an endpoint
        </Button>
      </DialogTrigger>
      <DialogContent title="Add a webhook endpoint" description="The pipeline's receiver. Each event is signed (Standard Webhooks) and retried until it answers 2xx.">
        {added ? (
          <div className="space-y-4">
            <Alert tone="success" role="status">
              {result?.message}
            </Alert>
            <ShownOnceSecret secret={added.secret} />
            <Button asChild className="w-full">
              <Link href={`/admin/webhooks/${added.id}`}>Open the endpoint, and send it a test</Link>
            </Button>
          </div>
        ) : (
          <form action={submit} noValidate className="space-y-4">
            <div>
              <Label htmlFor="webhook-url">Receiver URL</Label>
              <Input id="webhook-url" name="url" type="url" inputMode="url" placeholder="https://pipeline.example/objections" autoComplete="off" spellCheck={false} required aria-invalid={!!failed?.fieldErrors?.url} aria-describedby={failed?.fieldErrors?.url ? "webhook-url-error" : undefined} />
              <FieldError id="webhook-url-error" message={failed?.fieldErrors?.url?.[0]} />
            </div>
            <fieldset aria-describedby={failed?.fieldErrors?.events ? "webhook-events-error" : undefined}>
              <legend className="mb-1 text-sm font-medium text-slate-800">Events</legend>
              {WEBHOOK_EVENT_TYPES.map((type) => (
                <label key={type} className="flex items-start gap-2 py-1 text-sm">
                  <input type="checkbox" name="events" value={type} defaultChecked className="mt-0.5 h-4 w-4" />
                  <span>
                    <span className="font-mono text-slate-900">{type}</span>
                    <span className="block text-slate-600">{EVENT_HELP[type]}</span>
                  </span>
                </label>
              ))}
              <FieldError id="webhook-events-error" message={failed?.fieldErrors?.events?.[0]} />
            </fieldset>
            {failed && !failed.fieldErrors ? (
              <Alert tone="danger" role="alert">
                {failed.message}
              </Alert>
            ) : null}
            <Button type="submit" disabled={pending} className="w-full">
              {pending ? "Adding…" : "Add endpoint"}
            </Button>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
};
