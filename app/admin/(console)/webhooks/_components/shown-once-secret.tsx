"use client";

import { Copy } from "lucide-react";
import { useState } from "react";

import { Button } from "@/components/ui/button";

/** A signing secret, shown this once, with a copy button. */
export const ShownOnceSecret = ({ secret }: { secret: string }) => {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700">Signing secret. Store it in the receiver now: it is not shown again.</p>
      <div className="flex items-center gap-2">
        <code data-testid="webhook-secret" className="min-w-0 flex-1 overflow-x-auto rounded-md bg-slate-100 px-2 py-1.5 font-mono text-sm break-all text-slate-900">
          {secret}
        </code>
        <Button
          type="button"
          variant="secondary"
          size="sm"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}
        >
          <Copy className="h-4 w-4" aria-hidden />
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
};
