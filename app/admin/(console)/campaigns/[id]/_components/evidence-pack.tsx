import { Download } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";

/**
 * The campaign's evidence pack (docs/evidence.md): what it holds, how it is checked, and the link
 * for reviewers and admins. A plain link, so the browser streams the ZIP straight to disk.
 */
export const EvidencePack = ({ campaignId, canDownload }: { campaignId: string; canDownload: boolean }) => (
  <Card aria-labelledby="evidence-heading">
    <CardTitle id="evidence-heading">Evidence pack</CardTitle>
    <CardDescription>
      A ZIP for a regulator or an audit: every notice of this campaign (member external id, channel, language, notice version, sent, relay reply, bounce, seen, clicked; no
      addresses), a summary of reach, bounces, objections, withdrawals and rejections with their reasons, and this campaign&apos;s audit events, all read at one moment. Its
      manifest is signed with the export signing key: check it with <code className="font-mono">npm run evidence:verify -- FILE.zip</code>. Each download is audited.
    </CardDescription>
    <div className="mt-3">
      {canDownload ? (
        <Button asChild variant="secondary">
          <a href={`/admin/campaigns/${campaignId}/evidence`} download>
            <Download className="h-4 w-4" aria-hidden />
            Download evidence pack
          </a>
        </Button>
      ) : (
        <p className="text-sm text-slate-700">Reviewers and admins can download it.</p>
      )}
    </div>
  </Card>
);
