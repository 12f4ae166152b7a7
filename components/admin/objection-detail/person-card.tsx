import type { TObjectionDetailActions } from "@/components/admin/objection-detail/objection-detail-actions";
import { RevealPersonalData } from "@/components/admin/objection-detail/reveal-personal-data";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { MASKING_NOTE } from "@/lib/admins/masking";
import type { TObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

/** Who objected, masked by the console's one rule (lib/admins/masking.ts) until a reviewer reveals it. */
export const PersonCard = ({
  detail,
  reveal,
}: {
  detail: TObjectionDetail;
  reveal: TObjectionDetailActions["reveal"];
}) => (
  <Card aria-labelledby="person-title">
    <CardTitle id="person-title">Person</CardTitle>
    <CardDescription>
      {MASKING_NOTE}
    </CardDescription>
    <div className="mt-3">
      <RevealPersonalData
        objectionId={detail.id}
        reveal={reveal}
        maskedEmail={detail.maskedEmail}
        hasReason={detail.hasReason}
        member={detail.member}
        canReveal={detail.can.reveal}
      />
    </div>
  </Card>
);
